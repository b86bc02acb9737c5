"""Delivery rules decided in docs/decisions/0009 (issue 12), each at its boundary."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from tests.delivery.helpers import add_trainees, host_of, open_enrolment, planned, trainee_data
from tests.delivery.test_programmes import ready_to_close
from yanxiu.core.refusal import Refused
from yanxiu.delivery.domain import attendance, enrolment, money, programmes
from yanxiu.delivery.models import Accounts, Programme
from yanxiu.notifications.models import Message
from yanxiu.reference.models import LectureFeeStandard, TrainingCostStandard
from yanxiu.selection.models import Outcome

pytestmark = pytest.mark.django_db


def clock_now():
    from yanxiu.core import clock

    return clock.now()


# --- money ---------------------------------------------------------------------------------


def _final(programme, standard, **items):
    return money.save_accounts(
        programme.application,
        "final",
        host_of(programme),
        fields={"cost_standard": standard, "trainees": 50, "days": 9, **items},
        lectures=[],
    )


def test_a_demonstration_programme_is_checked_against_the_fujian_standard():
    programme = planned(outcome=Outcome.PROVINCIAL_DEMONSTRATION)
    central = TrainingCostStandard.objects.get(standard__startswith="中央", training_class="一类")
    codes = [r.code for r in money.check_accounts(_final(programme, central))]
    assert codes == ["money.standard_regulation"]
    fujian = TrainingCostStandard.objects.get(standard="福建省省直机关培训费管理办法")
    codes = [r.code for r in money.check_accounts(_final(programme, fujian))]
    assert codes == ["money.standard_unknown"]  # the right regulation; its figures are still to be entered


def test_an_ordinary_provincial_programme_follows_its_own_rules():
    programme = planned(outcome=Outcome.PROVINCIAL_ORDINARY)
    assert money.required_standard(programme.application) == ""


def test_final_accounts_count_trainees_and_days_from_roster_and_attendance(clock):
    programme = planned()
    host = host_of(programme)
    trainees = add_trainees(programme, 3)
    enrolment.review(programme, trainees, host, approve=True)
    clock("2026-09-06T09:00:00+08:00")
    for day, half in attendance.half_days(programme):
        attendance.record_attendance(programme, day, half, [trainees[0].pk, trainees[1].pk], host)  # one never came
    saved = _final(programme, None, trainees=50, days=9)
    assert (saved.trainees, saved.days) == (2, 4)


def test_the_final_accounts_page_shows_the_budget_beside_them(client, clock):
    programme = planned()
    host = host_of(programme)
    Accounts.objects.create(
        application=programme.application,
        kind="budget",
        teachers=Decimal(3000),
        updated_by=host,
        updated_at=clock_now(),
    )
    clock("2026-09-06T09:00:00+08:00")
    _final(programme, None, teachers=Decimal(3500))
    client.force_login(host)
    page = client.get(reverse("delivery:accounts", args=[programme.pk])).content.decode()
    assert 'data-testid="budget-comparison"' in page
    assert "超出预算500.00元" in page
    rows = money.compare(
        Accounts.objects.get(application=programme.application, kind="budget"),
        Accounts.objects.get(application=programme.application, kind="final"),
    )
    assert rows[0][:4] == ("师资费", Decimal(3000), Decimal(3500), Decimal(500))
    assert rows[1][4] == "与预算一致"


# --- public enrolment when the class is full --------------------------------------------------


def _full_class(capacity, approved):
    programme = planned()
    Programme.objects.filter(pk=programme.pk).update(capacity=capacity)
    programme.refresh_from_db()
    open_enrolment(programme)
    programme = Programme.objects.get(pk=programme.pk)
    programme.capacity = capacity
    programme.save(update_fields=["capacity"])
    enrolment.review(programme, add_trainees(programme, approved), host_of(programme), approve=True)
    return programme


@pytest.mark.parametrize(("approved", "accepted"), [(1, True), (2, False)])
def test_public_enrolment_stops_when_the_class_is_full(approved, accepted):
    programme = _full_class(2, approved)
    if accepted:
        assert enrolment.enrol(programme, trainee_data(90)).state == "pending"
    else:
        with pytest.raises(Refused, match="招收名额（2人）已满"):
            enrolment.enrol(programme, trainee_data(90))


def test_a_host_controlled_waiting_list_takes_enrolments_when_full(client):
    programme = _full_class(2, 2)
    programme.waiting_list = True
    programme.save(update_fields=["waiting_list"])
    page = client.get(reverse("delivery_public:programme", args=[programme.pk])).content.decode()
    assert "您仍可报名候补" in page
    assert enrolment.enrol(programme, trainee_data(90)).state == "pending"


def test_the_public_page_says_when_the_class_is_full(client):
    programme = _full_class(2, 2)
    page = client.get(reverse("delivery_public:programme", args=[programme.pk])).content.decode()
    assert 'data-testid="class-full"' in page
    assert 'data-testid="enrol-form"' not in page


# --- a late closing is marked and shown to the province -----------------------------------


# Sat 19 September is a rest day: a closing sent then is late by the working day after it (Sun 20, 调休).
@pytest.mark.parametrize(("moment", "late"), [("2026-09-18T23:00:00+08:00", None), ("2026-09-19T09:00:00+08:00", 1)])
def test_a_closing_after_its_deadline_is_marked_late_and_shown_to_the_province(clock, client, moment, late):
    programme = planned()  # 2026-09-01 to 09-04; closing due within 10 working days, by 2026-09-18
    officer = factories.province_officer()
    host = ready_to_close(programme, clock)
    clock(moment)
    programmes.perform(programme, "submit_closing", host)
    programme.refresh_from_db()
    assert programme.closing_days_late == late
    told = Message.objects.filter(recipient=officer, subject__endswith="逾期提交结业材料")
    assert told.count() == (1 if late else 0)
    client.force_login(officer)
    listing = client.get(reverse("delivery:list")).content.decode()
    assert ('data-testid="late-closing"' in listing) == bool(late)


def test_days_late_counts_whole_days_past_the_deadline(clock):
    programme = planned()
    from datetime import datetime

    from django.utils import timezone

    def at(d):
        return timezone.make_aware(datetime(d.year, d.month, d.day, 12))

    assert programmes.days_late(programme, at(date(2026, 9, 18))) is None
    # 20 (调休), 21–24, 28–30 September (25–27 中秋), 8, 9, 10 (调休), 12, 13, 14 October (1–7 国庆)
    assert programmes.days_late(programme, at(date(2026, 10, 14))) == 14
    assert programmes.lateness_text(programme, at(date(2026, 10, 14))) == "逾期14个工作日"


def test_the_office_reads_the_final_accounts_as_text_not_as_a_form(client, clock):
    programme = planned()
    clock("2026-09-06T09:00:00+08:00")
    saved = _final(programme, None, teachers=Decimal(3500))
    line = {
        "date": programme.start_date,
        "half_day": "am",
        "lecturer": "王教授",
        "fee_standard": LectureFeeStandard.objects.first(),
        "class_hours": Decimal(3),
        "fee": Decimal(1500),
    }
    money.save_accounts(
        programme.application,
        "final",
        host_of(programme),
        fields={"cost_standard": None, "trainees": 50, "days": 9, "teachers": Decimal(3500)},
        lectures=[line],
    )
    assert saved.pk
    client.force_login(factories.province_officer())
    page = client.get(reverse("delivery:accounts", args=[programme.pk])).content.decode()
    readonly = page[page.index('data-testid="accounts-readonly"') : page.index("</main>")]
    assert "由承办单位填写，此处只供查看。" in readonly
    assert "<input" not in readonly
    assert "<select" not in readonly
    assert "3500" in readonly
    assert "王教授" in readonly
    assert 'data-testid="save-accounts"' not in page
    client.force_login(host_of(programme))
    page = client.get(reverse("delivery:accounts", args=[programme.pk])).content.decode()
    assert 'data-testid="accounts-readonly"' not in page
    assert 'aria-label="讲课费第1行 授课专家"' in page
