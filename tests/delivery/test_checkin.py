"""QR check-in per half-day (decision 0027): the code's age and owner, the trainee's
confirmation, a second scan, the host's hand marking, and the public form's limit."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused
from yanxiu.delivery import public_views
from yanxiu.delivery.domain import attendance, checkin
from yanxiu.delivery.domain.enrolment import review
from yanxiu.delivery.models import Attendance

from .helpers import add_trainees, host_of, id_number, planned

pytestmark = pytest.mark.django_db

CLASS_DAY = "2026-09-02T09:00:00+08:00"  # the class runs 2026-09-01 to 09-04


def at(moment):
    return datetime.fromisoformat(moment)


def later(moment, **delta):
    return (at(moment) + timedelta(**delta)).isoformat()


@pytest.fixture
def stranger():
    """The host of another institution's programme (planned before the clock moves to the class)."""
    return host_of(planned(authority_code="350200-RS"))


@pytest.fixture
def opened(clock, stranger):
    programme = planned()
    host = host_of(programme)
    trainees = add_trainees(programme, 3)
    review(programme, trainees, host, approve=True)
    clock(CLASS_DAY)
    check_in = checkin.open_check_in(programme, "am", host)
    return programme, host, trainees, check_in


def confirm(check_in, token, n=1, name=None):
    return checkin.confirm(check_in, token, id_number=id_number(n), name=name or f"学员{n}")


def test_a_scan_marks_the_trainee_present_once_and_the_half_day_is_recorded(opened):
    programme, _, (first, second, third), check_in = opened
    trainee, newly = confirm(check_in, checkin.token(check_in))
    assert (trainee, newly) == (first, True)
    assert attendance.sheet(programme, date(2026, 9, 2), "am") == {first.pk: True, second.pk: False, third.pk: False}
    entry = AuditEntry.objects.filter(action="mark_present").get()
    assert (entry.actor, entry.data["via"], entry.data["trainee"]) == (None, "qr", first.pk)
    # The second scan says already present and writes nothing.
    assert confirm(check_in, checkin.token(check_in)) == (first, False)
    assert AuditEntry.objects.filter(action="mark_present").count() == 1


def test_a_code_is_good_for_two_minutes_when_scanned_and_five_when_confirmed(opened, clock):
    *_, check_in = opened
    shown = checkin.token(check_in)
    clock(later(CLASS_DAY, minutes=2, seconds=59))
    checkin.check_token(check_in, shown)  # two minutes old: still good
    clock(later(CLASS_DAY, minutes=3))
    with pytest.raises(Refused, match="签到码已过期"):
        checkin.check_token(check_in, shown)
    # The form it opened may still be sent: the trainee was typing.
    assert confirm(check_in, shown)[1] is True
    clock(later(CLASS_DAY, minutes=6))
    with pytest.raises(Refused, match="签到码已过期"):
        confirm(check_in, shown, n=2)
    assert confirm(check_in, checkin.token(check_in), n=2)[1] is True  # this minute's code


def test_a_code_from_the_future_or_forged_is_refused(opened):
    *_, check_in = opened
    future = checkin.token(check_in, checkin.minute_of() + 1)
    with pytest.raises(Refused, match="签到码已过期"):
        checkin.check_token(check_in, future)
    pk, minute, mac = checkin.token(check_in).split("-")
    with pytest.raises(Refused, match="签到码无效"):
        checkin.check_token(check_in, f"{pk}-{int(minute) - 1}-{mac}")
    with pytest.raises(Refused, match="签到码无效"):
        checkin.check_token(check_in, "nonsense")


def test_a_code_copied_to_another_check_in_is_refused(opened):
    programme, host, _, morning = opened
    afternoon = checkin.open_check_in(programme, "pm", host)
    good = checkin.token(afternoon)
    with pytest.raises(Refused, match="该签到码不属于本次签到"):
        confirm(morning, good)
    assert confirm(afternoon, good)[1] is True  # the same code in its own check-in


def test_a_wrong_id_number_or_name_is_refused(opened):
    programme, _, (first, *_), check_in = opened
    good = checkin.token(check_in)
    with pytest.raises(Refused, match="未找到该学员"):
        checkin.confirm(check_in, good, id_number=id_number(9), name="学员1")
    with pytest.raises(Refused, match="未找到该学员"):
        checkin.confirm(check_in, good, id_number=id_number(1), name="学员2")
    assert attendance.present_count(programme, date(2026, 9, 2), "am") == 0
    # Full-width digits and spaces in the name are what a phone's keyboard types.
    full_width = id_number(1).translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert checkin.confirm(check_in, good, id_number=full_width, name=" 学员 1")[0] == first


def test_a_closed_check_in_or_another_day_refuses_every_code(opened, clock):
    programme, host, _, check_in = opened
    assert checkin.close_check_in(check_in, host) is True
    with pytest.raises(Refused, match="本次扫码签到已结束"):
        confirm(check_in, checkin.token(check_in))
    reopened = checkin.open_check_in(programme, "am", host)
    assert reopened.pk == check_in.pk
    assert confirm(reopened, checkin.token(reopened))[1] is True
    clock("2026-09-03T00:00:30+08:00")
    with pytest.raises(Refused, match="本次扫码签到已结束"):
        confirm(reopened, checkin.token(reopened), n=2)


def test_only_the_host_opens_and_only_on_a_class_day(opened, clock, stranger):
    programme, host, *_ = opened
    other = stranger
    with pytest.raises(Refused, match="只有承办单位经办人"):
        checkin.open_check_in(programme, "pm", other)
    clock("2026-09-05T09:00:00+08:00")
    with pytest.raises(Refused, match="不是本班的上课日"):
        checkin.open_check_in(programme, "pm", host)


def test_the_host_still_marks_by_hand_and_a_scan_then_says_already_present(opened, stranger):
    programme, host, (first, second, _), check_in = opened
    assert attendance.mark_present(programme, check_in.date, "am", second, recorded_by=host, actor=host) is True
    entry = AuditEntry.objects.filter(action="mark_present").get()
    assert (entry.actor, entry.data["via"]) == (host, "hand")
    assert confirm(check_in, checkin.token(check_in), n=2) == (second, False)
    other = stranger
    with pytest.raises(Refused, match="只有承办单位经办人"):
        attendance.mark_present(programme, check_in.date, "am", first, recorded_by=other, actor=other)
    assert Attendance.objects.get(trainee=first, date=check_in.date, half_day="am").present is False


def public_url(check_in, token=None):
    return f"/p/check-in/{check_in.pk}/{token or checkin.token(check_in)}/"


def test_the_public_page_confirms_and_refuses_in_chinese(client, opened, clock):
    *_, check_in = opened
    url = public_url(check_in)
    assert "确认签到" in client.get(url).content.decode()
    response = client.post(url, {"id_number": id_number(1), "name": "学员1"})
    assert (response.status_code, "学员1，签到成功！" in response.content.decode()) == (200, True)
    again = client.post(url, {"id_number": id_number(1), "name": "学员1"})
    assert "学员1，您已签到，无需重复签到。" in again.content.decode()
    wrong = client.post(url, {"id_number": id_number(9), "name": "学员9"})
    assert wrong.status_code == 409
    assert "未找到该学员" in wrong.content.decode()
    clock(later(CLASS_DAY, minutes=6))
    stale = client.post(url, {"id_number": id_number(2), "name": "学员2"})
    assert (stale.status_code, "签到码已过期" in stale.content.decode()) == (409, True)


def test_the_public_confirmation_is_rate_limited(client, opened, monkeypatch):
    *_, check_in = opened
    monkeypatch.setattr(public_views, "CHECK_INS_PER_HOUR", 2)
    url = public_url(check_in)
    statuses = [client.post(url, {"id_number": id_number(n), "name": f"学员{n}"}).status_code for n in (1, 2, 3)]
    assert statuses == [200, 200, 429]
    assert attendance.present_count(check_in.programme, check_in.date, "am") == 2


def test_the_hosts_page_shows_the_count_and_the_live_part(client, opened, stranger):
    programme, host, _, check_in = opened
    client.force_login(host)
    confirm(check_in, checkin.token(check_in))
    live = client.get(f"/delivery/{programme.pk}/check-in/{check_in.pk}/live/").content.decode()
    assert 'data-testid="present-count">1</strong> / 3' in live
    assert "<svg" in live
    assert checkin.token(check_in) in live
    page = client.post(
        f"/delivery/{programme.pk}/check-in/{check_in.pk}/", {"mark": check_in.programme.trainees.last().pk}
    )
    assert page.status_code == 302
    assert attendance.present_count(programme, check_in.date, "am") == 2
    client.force_login(stranger)
    assert client.get(f"/delivery/{programme.pk}/check-in/{check_in.pk}/live/").status_code == 404


def test_opening_from_the_page(client, opened):
    programme, host, *_ = opened
    client.force_login(host)
    response = client.post(f"/delivery/{programme.pk}/check-in/", {"half_day": "pm"})
    afternoon = programme.check_ins.get(half_day="pm")
    assert response.url == f"/delivery/{programme.pk}/check-in/{afternoon.pk}/"
    assert AuditEntry.objects.filter(action="open_check_in").count() == 2
    assert timezone.localtime(afternoon.opened_at).hour == 9
