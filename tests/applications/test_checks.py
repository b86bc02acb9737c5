"""Every rule of the notice at its boundaries."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from tests import factories
from yanxiu.applications.domain.checks import CheckReport, Severity, run_checks
from yanxiu.applications.models import WarningReason
from yanxiu.organisations.domain.invoicing import confirm_training_invoice
from yanxiu.organisations.enums import BaseStatus, InstitutionType
from yanxiu.organisations.models import DeadlineExtension, ProgrammeRecord

pytestmark = pytest.mark.django_db


def codes(application, now=None):
    return {r.code: r.severity for r in run_checks(application, now)}


def set_fields(application, **fields):
    for name, value in fields.items():
        setattr(application, name, value)
    application.save()
    return application


def test_a_complete_application_passes_every_check():
    for tier in ("national", "provincial"):
        application = factories.complete(tier)
        assert run_checks(application) == []
        assert CheckReport.for_application(application).can_submit


def test_an_empty_draft_names_every_missing_field():
    application = factories.draft("provincial")
    found = codes(application)
    for field in ("title", "start_date", "end_date", "domain", "competent_department", "purpose", "planned_trainees"):
        assert found[f"required.{field}"] == Severity.ERROR
    assert found["topic_scope.none"] == Severity.ERROR
    assert found["schedule.empty"] == Severity.ERROR
    assert found["lecturers.empty"] == Severity.ERROR
    assert found["declaration.independent_hosting"] == Severity.ERROR
    assert found["declaration.no_trainee_fees"] == Severity.WARNING


@pytest.mark.parametrize(("trainees", "expected"), [(29, Severity.ERROR), (30, None), (31, None)])
def test_provincial_needs_at_least_30_trainees(trainees, expected):
    application = factories.complete("provincial", trainees=trainees)
    assert codes(application).get("trainees.minimum") == expected


@pytest.mark.parametrize(("trainees", "expected"), [(49, Severity.WARNING), (50, None), (51, None)])
def test_national_usually_has_at_least_50_trainees(trainees, expected):
    application = factories.complete("national", trainees=trainees)
    assert codes(application).get("trainees.minimum") == expected


@pytest.mark.parametrize(("days", "expected"), [(4, Severity.WARNING), (5, None), (7, None), (8, Severity.WARNING)])
def test_national_usually_lasts_5_to_7_days(days, expected):
    application = factories.complete("national", days=days)
    assert application.days == days
    assert codes(application).get("duration.tier") == expected


@pytest.mark.parametrize(
    ("days", "expected"), [(2, Severity.WARNING), (3, None), (4, None), (5, None), (6, Severity.WARNING)]
)
def test_provincial_lasts_about_4_days(days, expected):
    application = factories.complete("provincial", days=days)
    assert codes(application).get("duration.tier") == expected


def test_days_count_arrival_and_departure():
    application = factories.complete("provincial", start=date(2026, 9, 22), days=4)
    assert (application.start_date, application.end_date, application.days) == (date(2026, 9, 22), date(2026, 9, 25), 4)


@pytest.mark.parametrize(
    ("end", "expected"), [(date(2026, 11, 29), None), (date(2026, 11, 30), None), (date(2026, 12, 1), Severity.ERROR)]
)
def test_finished_by_the_completion_date(end, expected):
    application = factories.complete("provincial", start=end - timedelta(days=3))
    assert application.end_date == end
    assert codes(application).get("dates.completion") == expected


def test_end_before_start_is_an_error():
    application = factories.complete("provincial")
    set_fields(application, end_date=application.start_date - timedelta(days=1))
    assert codes(application)["dates.order"] == Severity.ERROR
    assert application.days is None


def test_dates_outside_the_call_year_are_an_error():
    application = factories.complete("provincial", start=date(2027, 1, 5))
    assert codes(application)["dates.call_year"] == Severity.ERROR


def test_recruitment_scope_follows_the_tier():
    national = factories.complete("national", recruitment_scope="province")
    provincial = factories.complete("provincial", recruitment_scope="nationwide")
    assert codes(national)["trainees.scope"] == Severity.ERROR
    assert codes(provincial)["trainees.scope"] == Severity.ERROR
    assert "trainees.scope" not in codes(factories.complete("provincial", recruitment_scope="province"))


def test_trainees_without_mid_or_senior_title_are_a_warning():
    application = factories.complete("provincial", trainee_title_levels=["middle", "other"])
    assert codes(application)["trainees.title_levels"] == Severity.WARNING


def test_topic_scope_must_be_ticked_and_explained():
    assert codes(factories.complete("provincial", scope=()))["topic_scope.none"] == Severity.ERROR
    application = factories.complete("provincial", scope=("strategy",))
    claim = application.topic_claims.get()
    claim.explanation = "符合"  # fewer than 10 characters
    claim.save()
    assert codes(application)["topic_scope.explain.strategy"] == Severity.ERROR


def test_mainly_offline_means_less_than_half_online():
    # 2 days × 2 half-days = 4 sessions of 3 hours
    assert "delivery.mainly_offline" not in codes(factories.complete("provincial", online=1))
    assert codes(factories.complete("provincial", online=2))["delivery.mainly_offline"] == Severity.ERROR
    assert codes(factories.complete("provincial", online=3))["delivery.mainly_offline"] == Severity.ERROR


def test_sessions_must_lie_within_the_dates_and_not_repeat_a_slot():
    application = factories.complete("provincial")
    session = application.sessions.first()
    session.date = application.end_date + timedelta(days=1)
    session.save()
    assert codes(application)["schedule.outside_dates"] == Severity.ERROR
    session.date = application.sessions.exclude(pk=session.pk).first().date
    session.half_day = application.sessions.exclude(pk=session.pk).first().half_day
    session.save()
    assert codes(application)["schedule.duplicate_slot"] == Severity.ERROR


def test_declarations():
    application = factories.complete(
        "provincial", declares_independent_hosting=False, declares_no_trainee_fees=False, declares_mainly_offline=False
    )
    found = codes(application)
    assert found["declaration.independent_hosting"] == Severity.ERROR
    assert found["declaration.no_trainee_fees"] == Severity.WARNING
    assert found["declaration.mainly_offline"] == Severity.ERROR


def test_national_funding_is_a_single_choice_and_self_funding_needs_a_source():
    assert codes(factories.complete("national", funding=""))["funding.choice"] == Severity.ERROR
    assert (
        codes(factories.complete("national", funding="self_funded", funding_source=""))["funding.source"]
        == Severity.ERROR
    )
    assert "funding.source" not in codes(
        factories.complete("national", funding="self_funded", funding_source="单位自筹")
    )
    # provincial forms have no funding row
    assert "funding.choice" not in codes(factories.complete("provincial", funding=""))


def test_competent_department_level_follows_the_form():
    from yanxiu.reference.models import CompetentDepartment

    factories.call_2026()
    provincial_dept = CompetentDepartment.objects.get(name="福建省工业和信息化厅")
    assert (
        codes(factories.complete("national", competent_department=provincial_dept))["department.level"]
        == Severity.ERROR
    )


def test_national_base_needs_its_batch():
    application = factories.complete("provincial", base_status=BaseStatus.NATIONAL, base_batch=None)
    assert codes(application)["base.batch"] == Severity.ERROR
    set_fields(application, base_batch=10)
    assert "base.batch" not in codes(application)


def test_enterprises_must_issue_training_invoices():
    inst = factories.institution(type=InstitutionType.ENTERPRISE, can_issue_training_invoice=False)
    application = factories.complete("provincial", actor=factories.staff(inst))
    assert codes(application)["institution.invoice"] == Severity.ERROR
    inst.can_issue_training_invoice = True  # declared by the institution itself
    inst.save()
    application.refresh_from_db()
    assert codes(application)["institution.invoice"] == Severity.ERROR  # not counted until confirmed (0016)
    confirm_training_invoice(inst, factories.reviewer(inst.authority))
    application = type(application).objects.get(pk=application.pk)
    assert "institution.invoice" not in codes(application)


def test_last_years_incomplete_programme_is_a_warning_needing_a_reason():
    inst = factories.institution()
    ProgrammeRecord.objects.create(institution=inst, year=2024, title="更早的项目", completed=False)
    application = factories.complete("provincial", actor=factories.staff(inst))
    assert "institution.previous_completion" not in codes(application)  # only 2025 counts for 2026
    ProgrammeRecord.objects.create(institution=inst, year=2025, title="去年的项目", completed=False)
    assert codes(application)["institution.previous_completion"] == Severity.WARNING
    report = CheckReport.for_application(application)
    assert not report.can_submit
    WarningReason.objects.create(
        application=application,
        code="institution.previous_completion",
        reason="已整改",
        written_by=application.created_by,
    )
    assert CheckReport.for_application(application).can_submit


def at(text):
    return timezone.make_aware(datetime.fromisoformat(text))


@pytest.mark.parametrize(
    ("tier", "moment", "expected"),
    [
        ("national", "2026-01-16T23:59:59", None),
        ("national", "2026-01-17T00:00:00", Severity.ERROR),
        ("provincial", "2026-02-20T23:59:00", None),
        ("provincial", "2026-02-21T00:00:01", Severity.ERROR),
    ],
)
def test_the_tier_deadline_is_the_end_of_its_day(tier, moment, expected):
    application = factories.complete(tier)
    assert codes(application, now=at(moment)).get("deadline.passed") == expected


def test_an_extension_for_the_institution_or_its_authority_reopens_the_deadline():
    application = factories.complete("national")
    late = at("2026-01-20T10:00:00")
    assert codes(application, now=late)["deadline.passed"] == Severity.ERROR
    DeadlineExtension.objects.create(
        call=application.call,
        tier="national",
        institution=application.institution,
        until=at("2026-01-20T18:00:00"),
        reason="系统故障",
    )
    assert "deadline.passed" not in codes(application, now=late)
    assert codes(application, now=at("2026-01-20T18:00:01"))["deadline.passed"] == Severity.ERROR

    other = factories.complete("national")
    DeadlineExtension.objects.create(
        call=other.call,
        tier="national",
        authority=other.institution.authority,
        until=at("2026-01-25T00:00:00"),
        reason="全市统一延期",
    )
    assert "deadline.passed" not in codes(other, now=late)
    # an extension of the other tier does not count
    assert codes(factories.complete("provincial"), now=at("2026-02-22T00:00:00"))["deadline.passed"] == Severity.ERROR


def test_rule_values_come_from_the_call():
    application = factories.complete("provincial", trainees=30)
    rule = application.call.tier_rule("provincial")
    rule.min_trainees = 35
    rule.save()
    application.call.tier_rules.all()._result_cache = None
    application = type(application).objects.get(pk=application.pk)
    assert codes(application)["trainees.minimum"] == Severity.ERROR


def test_every_check_result_has_a_chinese_message_and_stable_code():
    results = run_checks(factories.draft("national"))
    assert results
    for result in results:
        assert result.code
        assert "." in result.code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in result.message)
