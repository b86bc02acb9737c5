from datetime import date

import pytest

from tests import factories
from yanxiu.audit.models import AuditEntry
from yanxiu.calls.domain.calls import copy_call, load_call_file
from yanxiu.calls.enums import RecruitmentScope

pytestmark = pytest.mark.django_db


def test_the_2026_call_holds_what_the_notice_fixes():
    call = load_call_file()
    national, provincial = call.tier_rule("national"), call.tier_rule("provincial")
    assert (call.year, call.completion_date, call.document_date) == (2026, date(2026, 11, 30), date(2026, 1, 5))
    assert (national.deadline, national.min_days, national.max_days, national.min_trainees) == (
        date(2026, 1, 16),
        5,
        7,
        50,
    )
    assert (provincial.deadline, provincial.min_trainees, provincial.trainees_is_strict) == (
        date(2026, 2, 20),
        30,
        True,
    )
    assert national.recruitment_scope == RecruitmentScope.NATIONWIDE
    assert provincial.recruitment_scope == RecruitmentScope.PROVINCE
    assert [a.code for a in call.topic_areas.all()] == ["strategy", "industry", "digital"]
    assert "量子信息" in call.topic_areas.get(code="industry").keyword_list()
    assert call.office_email == "rstzynljsc2024@126.com"


def test_loading_twice_updates_instead_of_duplicating():
    load_call_file()
    call = load_call_file()
    assert call.tier_rules.count() == 2
    assert call.topic_areas.count() == 3


def test_copying_to_next_year_moves_every_date():
    source = load_call_file()
    call = copy_call(source, 2027)
    assert (call.completion_date, call.document_date, call.previous_year_for_completion) == (
        date(2027, 11, 30),
        date(2027, 1, 5),
        2026,
    )
    assert call.tier_rule("national").deadline == date(2027, 1, 16)
    assert call.tier_rule("provincial").deadline == date(2027, 2, 20)
    assert call.tier_rule("provincial").form_title == "2027年省级高级研修项目申报表"
    assert "2027年高级研修项目" in call.title
    assert call.topic_areas.count() == 3
    with pytest.raises(ValueError, match="已存在"):
        copy_call(source, 2027)


def test_loading_and_copying_a_call_are_recorded_on_the_call():
    call = load_call_file()
    load_call_file()  # the data file again: an update, recorded as one
    officer = factories.province_officer()
    copy = copy_call(call, 2027, officer)
    loaded = AuditEntry.objects.for_object(call).order_by("id")
    assert [(e.action, e.action_label, e.actor, e.data) for e in loaded] == [
        ("load_call", "载入年度通知", None, {"year": 2026}),
        ("load_call", "按数据文件更新年度通知", None, {"year": 2026}),
    ]
    copied = AuditEntry.objects.for_object(copy).get()
    assert (copied.action, copied.action_label, copied.actor) == ("copy_call", "由2026年度通知复制", officer)


def test_a_refused_copy_leaves_no_entry():
    source = load_call_file()
    copy_call(source, 2027)
    with pytest.raises(ValueError, match="已存在"):
        copy_call(source, 2027)
    assert AuditEntry.objects.filter(action="copy_call").count() == 1
