"""QR check-in per half-day (扫码签到; decision 0027).

The host opens a class day's morning or afternoon; the screen shows a QR code whose URL holds
a token signed for that check-in and the minute it is shown, so the code changes every minute.
A trainee scans it with any phone camera, confirms with the ID number and name, and is marked
present through the attendance door (`attendance.mark_present`). A code older than
SCAN_MINUTES when scanned, or older than SCAN_MINUTES + TYPING_MINUTES when confirmed, is
refused; so is a code of another check-in pasted into this one's address. Paper sign-in and
the host's own marking stay.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from yanxiu.audit.log import record
from yanxiu.core import clock
from yanxiu.core.dates import chinese_date
from yanxiu.core.refusal import Refused

from ..enums import ATTENDANCE_HALF_DAYS, EnrolmentState, ProgrammeState
from ..models import CheckIn, Trainee
from . import attendance
from .ids import normalise
from .programmes import require_host

SCAN_MINUTES = 2  # a code shown more than two minutes ago is stale when scanned
TYPING_MINUTES = 3  # and the form it opens may be sent up to three minutes later

STALE = "签到码已过期：请扫描现场屏幕上最新的二维码。"
FOREIGN = "该签到码不属于本次签到：请扫描本班现场屏幕上的二维码。"
INVALID = "签到码无效：请扫描现场屏幕上的二维码。"


def minute_of(moment=None):
    """Minutes since the epoch: the number a code carries."""
    return int((moment or clock.now()).timestamp()) // 60


def _mac(check_in, minute):
    return salted_hmac("yanxiu.delivery.checkin", f"{check_in.pk}.{minute}.{check_in.secret}").hexdigest()[:20]


def token(check_in, minute=None):
    minute = minute_of() if minute is None else minute
    return f"{check_in.pk}-{minute}-{_mac(check_in, minute)}"


def url(check_in, minute=None):
    """What the QR code holds: a whole address any phone camera opens."""
    path = reverse("delivery_public:check_in", args=[check_in.pk, token(check_in, minute)])
    return settings.SITE_URL.rstrip("/") + path


def check_token(check_in, value, *, confirming=False):
    """Refuse a code that is not this check-in's, is forged, or is stale."""
    try:
        pk, minute, mac = value.split("-")
        pk, minute = int(pk), int(minute)
    except ValueError:
        raise Refused(INVALID) from None
    if pk != check_in.pk:
        raise Refused(FOREIGN)
    if not constant_time_compare(mac, _mac(check_in, minute)):
        raise Refused(INVALID)
    age = minute_of() - minute
    if age < 0 or age > SCAN_MINUTES + (TYPING_MINUTES if confirming else 0):
        raise Refused(STALE)
    if not check_in.is_open or check_in.date != clock.today():
        raise Refused("本次扫码签到已结束：请到签到处找承办单位工作人员签到。")


def can_open_today(programme):
    return programme.state == ProgrammeState.PREPARING and clock.today() in attendance.class_days(programme)


def open_check_in(programme, half_day, actor):
    """Open (or reopen) today's check-in for a half-day; returns it."""
    require_host(actor, programme)
    if programme.state != ProgrammeState.PREPARING:
        raise Refused("项目已提交结业材料，不能再开启签到。")
    today = clock.today()
    if today not in attendance.class_days(programme):
        raise Refused(f"今天（{chinese_date(today)}）不是本班的上课日，不能开启扫码签到。")
    if half_day not in {h.value for h in ATTENDANCE_HALF_DAYS}:
        raise Refused("请选择上午或下午。")
    with transaction.atomic():
        try:
            with transaction.atomic():
                check_in = CheckIn.objects.create(
                    programme=programme, date=today, half_day=half_day, opened_by=actor, opened_at=clock.now()
                )
        except IntegrityError:
            check_in = CheckIn.objects.select_for_update().get(programme=programme, date=today, half_day=half_day)
            if check_in.is_open:
                return check_in
            check_in.closed_at = None
            check_in.save(update_fields=["closed_at"])
        record(
            programme,
            action="open_check_in",
            label="开启扫码签到",
            actor=actor,
            data={"check_in": check_in.pk, "date": today.isoformat(), "half_day": half_day},
        )
    return check_in


def close_check_in(check_in, actor):
    require_host(actor, check_in.programme)
    with transaction.atomic():
        if not CheckIn.objects.filter(pk=check_in.pk, closed_at__isnull=True).update(closed_at=clock.now()):
            return False
        record(
            check_in.programme,
            action="close_check_in",
            label="结束扫码签到",
            actor=actor,
            data={"check_in": check_in.pk, "date": check_in.date.isoformat(), "half_day": check_in.half_day},
        )
    check_in.refresh_from_db()
    return True


def _without_spaces(text):
    return "".join((text or "").split())


def find_trainee(programme, id_number, name):
    """The approved trainee with this ID number (its keyed hash) and name (spaces ignored)."""
    candidates = Trainee.objects.filter(programme=programme, state=EnrolmentState.APPROVED).with_id_number(
        normalise(id_number)
    )
    trainee = next((t for t in candidates if _without_spaces(t.name) == _without_spaces(name)), None)
    if trainee is None:
        raise Refused("未找到该学员：请核对身份证号和姓名（须为本班录取学员）。")
    return trainee


def confirm(check_in, value, *, id_number, name):
    """A trainee's scan, confirmed: (trainee, newly present?). A second scan is not an error:
    it says the trainee is already present and writes nothing."""
    check_token(check_in, value, confirming=True)
    programme = check_in.programme
    trainee = find_trainee(programme, id_number, name)
    newly = attendance.mark_present(
        programme, check_in.date, check_in.half_day, trainee, recorded_by=check_in.opened_by, via="qr"
    )
    return trainee, newly
