"""Budget limits at their boundaries: the daily quota, lecture fees, 4 hours per half-day, no trainee fees."""

from datetime import date
from decimal import Decimal

import pytest

from tests import factories
from yanxiu.applications.models import Application
from yanxiu.delivery.domain.money import check_accounts, quota_days
from yanxiu.delivery.models import Accounts, LectureLine
from yanxiu.reference.models import LectureFeeStandard, TrainingCostStandard

pytestmark = pytest.mark.django_db

CENTRAL = "中央和国家机关培训费管理办法（财行〔2016〕540号）"


@pytest.fixture
def class_one():
    factories.call_2026()
    return TrainingCostStandard.objects.get(standard=CENTRAL, training_class="一类")


def fiscal_accounts(standard, **items):
    values = {
        "trainees": 50,
        "days": 5,
        "teachers": Decimal(0),
        "accommodation": Decimal(0),
        "meals": Decimal(0),
        "venue": Decimal(0),
        "materials": Decimal(0),
        "transport": Decimal(0),
        "other": Decimal(0),
        "charged_to_trainees": Decimal(0),
    }
    values.update(items)
    return Accounts(
        application=Application(funding="fiscal", state="ministry_selected"),
        kind="final",
        cost_standard=standard,
        **values,
    )


def codes(results):
    return [r.code for r in results]


def test_the_daily_quota_is_reached_exactly_and_not_passed(class_one):
    # 760 元/人天 × 50 人 × 5 天 = 190,000 元
    at_limit = fiscal_accounts(
        class_one, accommodation=Decimal("100000"), meals=Decimal("50000"), venue=Decimal("40000")
    )
    assert check_accounts(at_limit, []) == []
    over = fiscal_accounts(
        class_one, accommodation=Decimal("100000"), meals=Decimal("50000"), venue=Decimal("40000.01")
    )
    results = check_accounts(over, [])
    assert codes(results) == ["money.daily_quota"]
    assert results[0].message == (
        "住宿、伙食、场地、资料、交通和其他费用合计190,000.01元，超过综合定额760.00元/人天×50人×5天=190,000.00元。"
    )


def test_days_beyond_thirty_count_at_seventy_percent():
    assert quota_days(30) == Decimal(30)
    assert quota_days(40) == Decimal("37.0")


def test_lecture_fee_caps_per_class_hour_by_title(class_one):
    full = LectureFeeStandard.objects.get(title_level="正高级职称")
    lines = [
        LectureLine(
            date=date(2026, 9, 2),
            half_day="am",
            lecturer="王教授",
            fee_standard=full,
            class_hours=Decimal(3),
            fee=Decimal("3000"),
        )
    ]
    accounts = fiscal_accounts(class_one, teachers=Decimal("5000"))
    assert check_accounts(accounts, lines) == []
    lines[0].fee = Decimal("3000.01")
    results = check_accounts(accounts, lines)
    assert codes(results) == ["money.lecture_fee"]
    assert (
        results[0].message == "王教授（正高级职称）讲课3学时，讲课费3,000.01元超过上限3,000.00元（每学时1,000.00元）。"
    )


def test_at_most_four_class_hours_per_half_day(class_one):
    deputy = LectureFeeStandard.objects.get(title_level="副高级职称")
    line = {"date": date(2026, 9, 2), "half_day": "pm", "fee_standard": deputy, "fee": Decimal("500")}
    four = [
        LectureLine(lecturer="甲", class_hours=Decimal(2), **line),
        LectureLine(lecturer="乙", class_hours=Decimal(2), **line),
    ]
    accounts = fiscal_accounts(class_one, teachers=Decimal("1000"))
    assert check_accounts(accounts, four) == []
    four[1].class_hours = Decimal("2.5")
    results = check_accounts(accounts, four)
    assert codes(results) == ["money.hours_per_half_day"]
    assert results[0].message == "9月2日下午安排了4.5学时，每半天最多4学时。"


def test_nothing_may_be_charged_to_trainees(class_one):
    results = check_accounts(fiscal_accounts(class_one, charged_to_trainees=Decimal("0.01")), [])
    assert codes(results) == ["money.trainee_charges"]


def test_a_standard_with_unknown_figures_cannot_check_until_the_office_enters_them(class_one):
    fujian = TrainingCostStandard.objects.get(standard="福建省省直机关培训费管理办法")
    assert fujian.total_per_person_day is None
    accounts = fiscal_accounts(fujian, accommodation=Decimal("1"))
    results = check_accounts(accounts, [])
    assert codes(results) == ["money.standard_unknown"]
    fujian.total_per_person_day = Decimal("400")
    fujian.save()
    assert check_accounts(accounts, []) == []


def test_self_funded_programmes_are_not_held_to_the_quota(class_one):
    accounts = fiscal_accounts(class_one, accommodation=Decimal("999999"))
    accounts.application = Application(funding="self_funded", state="ministry_selected")
    assert codes(check_accounts(accounts, [])) == ["money.self_funded"]
    assert check_accounts(accounts, [])[0].is_error is False
