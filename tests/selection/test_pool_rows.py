"""The pool's rows are written in Python (selection/interfaces/pool_rows.py): escaped, with the
staged outcome selected and a CSRF token in each row's form."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.reviews import factories as rf
from yanxiu.applications.models import Application
from yanxiu.selection.domain import decisions
from yanxiu.selection.models import Outcome

pytestmark = pytest.mark.django_db


def test_a_pool_row_is_escaped_and_shows_the_staged_outcome(client):
    application = rf.forwarded()
    Application.objects.filter(pk=application.pk).update(title="<script>alert(1)</script>研修班")
    officer = f.province_officer()
    decisions.stage(application, Outcome.PROVINCIAL_ORDINARY, actor=officer)
    client.force_login(officer)
    page = client.get(reverse("selection:pool", args=[application.call_id])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;研修班" in page
    row = page.split(f'data-testid="outcome-{application.pk}"')[1].split("</select>")[0]
    assert '<option value="provincial_ordinary" selected>' in row
    assert 'value="national_candidate"' not in row  # a provincial application is never a national candidate
    form = page.split(reverse("selection:stage", args=[application.call_id, application.pk]))[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<tr class="highlight">' in page
