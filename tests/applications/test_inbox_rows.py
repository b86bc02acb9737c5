"""The intake list's rows are written in Python (applications/interfaces/inbox_rows.py): escaped."""

import pytest
from django.urls import reverse

from tests import factories as f
from yanxiu.applications.domain import workflow
from yanxiu.applications.models import Application

pytestmark = pytest.mark.django_db


def test_an_intake_row_is_escaped_and_links_to_the_application(client):
    application = f.complete("provincial", actor=f.staff(f.institution()))
    workflow.perform(application, "submit", application.created_by)
    Application.objects.filter(pk=application.pk).update(
        title="<script>alert(1)</script>班",
        check_summary=[{"code": "x", "message": "<b>提醒</b>" + "长" * 60, "reason": '理由"><i>'}],
    )
    client.force_login(f.province_officer())
    page = client.get(reverse("applications:inbox")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert f'<a href="/applications/{application.pk}/">&lt;script&gt;alert(1)&lt;/script&gt;班</a>' in page
    assert 'title="理由：理由&quot;&gt;&lt;i&gt;"' in page
    assert "&lt;b&gt;提醒&lt;/b&gt;" in page
    assert "长" * 60 not in page  # the warning cut at 40 characters
    assert f"<td>{application.institution.authority.name}</td>" in page
