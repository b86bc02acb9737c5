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


def test_the_lists_flags_read_as_values_agree_with_the_checks_own_tests():
    """flag() reads a ListRow (values, one query); the facts must be the ones the checks read
    from the models: missed completions of the year the call names, the enterprise invoice,
    the too-close sentence of the tier's lead days."""
    from datetime import timedelta

    from yanxiu.applications.domain import queries
    from yanxiu.applications.domain.checks import lacks_training_invoice, missed_completions
    from yanxiu.applications.domain.timing import too_close
    from yanxiu.core import clock
    from yanxiu.organisations.enums import InstitutionType
    from yanxiu.organisations.models import ProgrammeRecord

    enterprise = f.institution(type=InstitutionType.ENTERPRISE, can_issue_training_invoice=True)
    application = f.complete("provincial", actor=f.staff(enterprise))
    workflow.perform(application, "submit", application.created_by)
    call = application.call
    ProgrammeRecord.objects.create(institution=enterprise, year=call.year - 3, title="三年前", completed=False)
    soon = clock.today() + timedelta(days=3)
    Application.objects.filter(pk=application.pk).update(start_date=soon, end_date=soon + timedelta(days=3))
    type(enterprise).objects.filter(pk=enterprise.pk).update(can_issue_training_invoice=False)

    def both():
        model = Application.objects.get(pk=application.pk)
        (row,) = queries.list_rows_in_order([application.pk])
        return model, queries.flag(row)

    model, flags = both()
    assert flags.missed_last_year is False  # the record is three years old, the call looks one back
    assert bool(missed_completions(model.institution, model.call)) is False
    assert flags.enterprise_without_invoice is True
    assert lacks_training_invoice(model.institution) is True
    assert flags.too_close
    assert flags.too_close == too_close(model)

    type(call).objects.filter(pk=call.pk).update(previous_year_for_completion=call.year - 3)
    model, flags = both()
    assert bool(missed_completions(model.institution, model.call)) is True
    assert flags.missed_last_year is True
    assert str(queries.list_rows_in_order([application.pk])[0]) == str(model)
