"""Enrolment rules: titles, province by tier, duplicates, capacity, the host's warnings."""

import pytest

from tests import factories
from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused
from yanxiu.delivery.domain.enrolment import enrol, review, review_warnings, validate_trainee
from yanxiu.selection.models import Outcome

from .helpers import add_trainees, host_of, id_number, open_enrolment, planned, trainee_data

pytestmark = pytest.mark.django_db


def test_a_provincial_programme_takes_trainees_from_fujian_only():
    programme = planned()
    _values, errors = validate_trainee(programme, trainee_data(1, province="44"))
    assert errors == {"province": "本项目为省级项目，面向福建省招收学员。"}


def test_a_national_programme_takes_trainees_from_all_of_china():
    programme = planned("national", Outcome.NATIONAL_CANDIDATE)
    values, errors = validate_trainee(programme, trainee_data(1, province="44", id_number=id_number(1, "44")))
    assert errors == {}
    assert values["province"] == "44"


def test_title_gender_and_check_digit_are_validated():
    programme = planned()
    _, errors = validate_trainee(
        programme, trainee_data(1, title_level="初级", gender="female", mobile="12345", id_number="350102198001010110")
    )
    assert errors == {
        "id_number": "身份证号校验位不正确，请核对。",
        "title_level": "请选择职称等级（中级、副高级、正高级或其他）。",
        "mobile": "手机号码格式不正确，应为以1开头的11位数字。",
    }
    _, errors = validate_trainee(programme, trainee_data(1, gender="female"))
    assert errors == {"gender": "性别与身份证号不一致。"}


def test_enrolment_stores_the_number_masked_and_a_second_enrolment_is_recorded_quietly():
    programme = open_enrolment(planned())
    trainee = enrol(programme, trainee_data(7))
    assert (trainee.id_masked, trainee.state) == ("3501**********" + trainee.id_number[-4:], "pending")
    # The public answer does not tell whether the number is enrolled: no refusal,
    # nothing changes, the host sees it in the programme's record.
    assert enrol(programme, trainee_data(7, mobile="13900000999", name="别人")) is None
    assert list(programme.trainees.values_list("pk", "name")) == [(trainee.pk, "学员7")]
    assert programme.trainees.get().mobile == "13900000007"
    entry = AuditEntry.objects.for_object(programme).get(action="duplicate_enrolment")
    assert (entry.actor, entry.action_label, entry.data) == (None, "重复报名（未重复登记）", {"trainee": trainee.pk})
    assert entry.reason == f"身份证号{trainee.id_masked}再次提交报名，已忽略（首次报名保持不变）。"


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def test_an_id_typed_full_width_is_stored_half_width_and_a_half_width_enrolment_is_its_duplicate():
    programme = open_enrolment(planned())
    number = next(id_number(n) for n in range(1, 100) if id_number(n).endswith("X"))
    typed = number.translate(FULL_WIDTH)
    trainee = enrol(programme, trainee_data(7, id_number=typed, mobile="１３９００００００07"))
    trainee.refresh_from_db()
    assert (trainee.id_number, trainee.mobile) == (number, "13900000007")
    assert trainee.id_masked == "3501**********" + number[-4:]
    assert enrol(programme, trainee_data(8, id_number=number, mobile="13900000008")) is None
    assert list(programme.trainees.values_list("pk", flat=True)) == [trainee.pk]
    assert AuditEntry.objects.for_object(programme).filter(action="duplicate_enrolment").count() == 1


def test_enrolment_is_closed_until_the_host_publishes_the_notice():
    programme = planned()
    with pytest.raises(Refused, match="本项目目前不接受报名"):
        enrol(programme, trainee_data(1))


def test_approving_never_passes_the_capacity():
    programme = planned(trainees=30)
    programme.capacity = 2
    programme.save()
    trainees = add_trainees(programme, 3)
    with pytest.raises(Refused) as refusal:
        review(programme, trainees, host_of(programme), approve=True)
    assert str(refusal.value) == "超出招收名额：名额2人，已录取0人，本次又选了3人。"
    assert review(programme, trainees[:2], host_of(programme), approve=True)[1].state == "approved"


def test_only_the_host_reviews():
    programme = planned()
    trainees = add_trainees(programme, 1)
    with pytest.raises(Refused, match="只有承办单位经办人"):
        review(programme, trainees, factories.staff(), approve=True)


def test_the_host_is_warned_about_titles_grassroots_non_public_and_duplicates():
    programme = planned()
    host = host_of(programme)
    add_trainees(programme, 2, title_level="other", is_grassroots=False, sector="public")
    twin = add_trainees(programme, 1, start=3, mobile="13900000001", is_grassroots=False, sector="public")[
        0
    ]  # same mobile as trainee 1
    review(programme, list(programme.trainees.all()), host, approve=True)
    other = planned(authority_code="350200-RS")
    add_trainees(other, 1, start=3)  # trainee 3 also enrolled in another programme of the call
    report = review_warnings(programme)
    assert [r.code for r in report.results] == [
        "enrolment.min_trainees",
        "enrolment.titles",
        "enrolment.grassroots",
        "enrolment.non_public",
        "enrolment.duplicates",
    ]
    assert report.results[0].message == "已录取3人，少于省级项目要求的30人（不少于30人）。"
    assert report.results[2].message == "基层一线学员占0%，低于30%（应向基层一线专业技术骨干倾斜）。"
    assert report.results[3].message == "非公有制领域学员占0%，低于10%（鼓励非公有制领域人员参加）。"
    assert report.results[4].message == "有2条报名疑似重复，请核对。"
    first = programme.trainees.order_by("pk").first()
    assert report.flags[first.pk] == ["无中高级职称", "手机号重复"]
    assert report.flags[twin.pk] == ["手机号重复", "同年已报名其他项目"]
