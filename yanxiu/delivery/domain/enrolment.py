"""Enrolment: the public form and the roster import both go through
`validate_trainee`; the host reviews with `review`; `review_warnings` says what
the notice asks of the trainees (二（一）: mid/senior titles, favour the
grassroots, encourage the non-public sector) and what looks duplicated."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q

from yanxiu.applications.domain.checks import CheckResult, error, warning
from yanxiu.applications.enums import MID_OR_SENIOR, TraineeTitleLevel
from yanxiu.audit.log import record
from yanxiu.calls.enums import RecruitmentScope
from yanxiu.core import clock
from yanxiu.core.refusal import Refused
from yanxiu.core.validators import normalise_phone, validate_mobile, validate_plain_text

from ..enums import FUJIAN, PROVINCE_NAMES, EnrolmentState, Gender, ProgrammeState, Sector
from ..models import Programme, Trainee
from .ids import mask, validate_id_number
from .programmes import require_host, settings_for

FIELD_LIMITS = {"name": 30, "employer": 100, "position": 50, "professional_field": 50}


def is_nationwide(programme):
    return programme.application.recruitment_scope == RecruitmentScope.NATIONWIDE or programme.application.is_national


def enrolment_is_open(programme, today=None):
    today = today or clock.today()
    return bool(
        programme.enrolment_open
        and programme.state == ProgrammeState.PREPARING
        and (programme.enrolment_deadline is None or today <= programme.enrolment_deadline)
        and today <= programme.start_date
    )


def validate_trainee(programme, data):
    """Clean one trainee's data; return (values, errors) with errors as {field: message}."""
    errors, values = {}, {}
    for field, limit in FIELD_LIMITS.items():
        text = " ".join(str(data.get(field) or "").split())
        required = field != "position"
        if required and not text:
            errors[field] = "必填。"
        elif len(text) > limit:
            errors[field] = f"不能超过{limit}个字。"
        else:
            try:
                validate_plain_text(text)
                values[field] = text
            except ValidationError as problem:
                errors[field] = problem.messages[0]
    try:
        values["id_number"] = validate_id_number(str(data.get("id_number") or ""))
    except ValidationError as problem:
        errors["id_number"] = problem.messages[0]
    gender = data.get("gender")
    if gender not in Gender.values:
        errors["gender"] = "请选择性别。"
    else:
        values["gender"] = gender
        number = values.get("id_number")
        if number and (int(number[16]) % 2 == 1) != (gender == Gender.MALE):
            errors["gender"] = "性别与身份证号不一致。"
    if data.get("title_level") not in TraineeTitleLevel.values:
        errors["title_level"] = "请选择职称等级（中级、副高级、正高级或其他）。"
    else:
        values["title_level"] = data["title_level"]
    mobile = normalise_phone(str(data.get("mobile") or ""))
    try:
        if not mobile:
            raise ValidationError("必填。")
        validate_mobile(mobile)
        values["mobile"] = mobile
    except ValidationError as problem:
        errors["mobile"] = problem.messages[0]
    province = data.get("province")
    if province not in PROVINCE_NAMES:
        errors["province"] = "请选择所在省份。"
    elif province != FUJIAN and not is_nationwide(programme):
        errors["province"] = "本项目为省级项目，面向福建省招收学员。"
    else:
        values["province"] = province
    values["is_grassroots"] = bool(data.get("is_grassroots"))
    sector = data.get("sector") or Sector.PUBLIC
    if sector not in Sector.values:
        errors["sector"] = "请选择单位性质。"
    else:
        values["sector"] = sector
    return values, errors


def approved_count(programme):
    return programme.trainees.filter(state=EnrolmentState.APPROVED).count()


def is_full(programme):
    """Every place is taken by an approved trainee (the host approves; approving never passes the capacity)."""
    return approved_count(programme) >= programme.capacity


def with_fullness(programmes):
    """`programmes` annotated with `is_full` (is_full above, in SQL: for a list in one query)."""
    taken = Count("trainees", filter=Q(trainees__state=EnrolmentState.APPROVED))
    return programmes.annotate(places_taken=taken).annotate(
        is_full=ExpressionWrapper(Q(places_taken__gte=F("capacity")), output_field=BooleanField())
    )


def enrol(programme, data, *, source="public"):
    """A trainee's own enrolment on the public page.

    Once the class is full it is refused, unless the host keeps a waiting list: then it is
    taken as a waiting enrolment (decision 0009). The answer never says whether the ID number
    is already enrolled (the page is public): a second enrolment with the same number changes
    nothing, is recorded in the programme's audit trail for the host, and returns None; the
    page thanks the visitor either way (docs/decisions/0006)."""
    if not enrolment_is_open(programme):
        raise Refused(errors={"__all__": "本项目目前不接受报名。"})
    if source == "public" and is_full(programme) and not programme.waiting_list:
        raise Refused(errors={"__all__": f"本项目招收名额（{programme.capacity}人）已满，不再接受报名。"}, code="full")
    values, errors = validate_trainee(programme, data)
    if errors:
        raise Refused(errors=errors)
    try:
        with transaction.atomic():
            if not Trainee.objects.filter(programme=programme).with_id_number(values["id_number"]).exists():
                return Trainee.objects.create(
                    programme=programme,
                    id_masked=mask(values["id_number"]),
                    enrolled_at=clock.now(),
                    source=source,
                    **values,
                )
    except IntegrityError:  # the same number enrolled at the same moment
        pass
    _record_duplicate(programme, values["id_number"])
    return None


def _record_duplicate(programme, number):
    existing = Trainee.objects.filter(programme=programme).with_id_number(number).first()
    record(
        programme,
        action="duplicate_enrolment",
        label="重复报名（未重复登记）",
        actor=None,
        reason=f"身份证号{mask(number)}再次提交报名，已忽略（首次报名保持不变）。",
        data={"trainee": existing.pk if existing else None},
    )


@transaction.atomic
def review(programme, trainees, actor, *, approve, note=""):
    """Approve or refuse enrolments; approving never goes past the capacity."""
    require_host(actor, programme)
    # The programme's row first: two approvals at once are counted one after the other.
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.state != ProgrammeState.PREPARING:
        raise Refused("项目已进入结业阶段，不能再审核报名。")
    trainees = list(Trainee.objects.select_for_update().filter(programme=programme, pk__in=[t.pk for t in trainees]))
    target = EnrolmentState.APPROVED if approve else EnrolmentState.REJECTED
    if approve:
        approved = Trainee.objects.filter(programme=programme, state=EnrolmentState.APPROVED).count()
        adding = sum(1 for t in trainees if t.state != EnrolmentState.APPROVED)
        if approved + adding > programme.capacity:
            raise Refused(f"超出招收名额：名额{programme.capacity}人，已录取{approved}人，本次又选了{adding}人。")
    now = clock.now()
    for trainee in trainees:
        trainee.state, trainee.reviewed_by, trainee.reviewed_at, trainee.review_note = target, actor, now, note[:300]
    Trainee.objects.bulk_update(trainees, ["state", "reviewed_by", "reviewed_at", "review_note"])
    record(
        programme,
        action="review_enrolment",
        label="录取学员" if approve else "不予录取",
        actor=actor,
        reason=note,
        data={"trainees": [t.pk for t in trainees]},
    )
    return trainees


@dataclass
class EnrolmentReport:
    results: list  # CheckResult
    flags: dict  # trainee pk -> list of short labels


def review_warnings(programme):
    """What the host should look at before and after approving."""
    trainees = list(programme.trainees.all())
    approved = [t for t in trainees if t.state == EnrolmentState.APPROVED]
    settings = settings_for(programme.call)
    rule = programme.call.tier_rule(programme.application.tier)
    results, flags = [], {t.pk: [] for t in trainees}
    for t in trainees:
        if t.title_level not in MID_OR_SENIOR:
            flags[t.pk].append("无中高级职称")
    if len(approved) > programme.capacity:
        results.append(error("enrolment.capacity", f"已录取{len(approved)}人，超过招收名额{programme.capacity}人。"))
    if len(approved) < rule.min_trainees:
        make = error if rule.trainees_is_strict else warning
        results.append(
            make(
                "enrolment.min_trainees",
                f"已录取{len(approved)}人，少于{rule.get_tier_display()}项目要求的{rule.min_trainees}人"
                f"（{rule.trainees_wording}）。",
                citation="通知二（一）",
            )
        )
    others = [t for t in approved if t.title_level not in MID_OR_SENIOR]
    if others:
        results.append(
            warning(
                "enrolment.titles",
                f"已录取学员中有{len(others)}人不具有中高级职称"
                "（研修学员一般应是具有中高级职称的专业技术人员或经营管理人员）。",
                citation="通知二（一）",
            )
        )
    if approved:
        grassroots = sum(1 for t in approved if t.is_grassroots) * 100 / len(approved)
        if grassroots < settings.min_grassroots_percent:
            results.append(
                warning(
                    "enrolment.grassroots",
                    f"基层一线学员占{grassroots:.0f}%，低于{settings.min_grassroots_percent}%"
                    "（应向基层一线专业技术骨干倾斜）。",
                    citation="通知二（一）",
                )
            )
        non_public = sum(1 for t in approved if t.sector == Sector.NON_PUBLIC) * 100 / len(approved)
        if non_public < settings.min_non_public_percent:
            results.append(
                warning(
                    "enrolment.non_public",
                    f"非公有制领域学员占{non_public:.0f}%，低于{settings.min_non_public_percent}%"
                    "（鼓励非公有制领域人员参加）。",
                    citation="通知二（一）",
                )
            )
    # Duplicates: the same mobile twice here, or the same person in another programme of the call.
    mobiles = {}
    for t in trainees:
        mobiles.setdefault(t.mobile, []).append(t)
    for group in mobiles.values():
        if len(group) > 1:
            for t in group:
                flags[t.pk].append("手机号重复")
    elsewhere = {
        t.id_number
        for t in Trainee.objects.filter(programme__application__call_id=programme.application.call_id)
        .with_id_numbers([t.id_number for t in trainees])
        .exclude(programme=programme)
        .exclude(state=EnrolmentState.REJECTED)
        .only("id_number")
    }
    for t in trainees:
        if t.id_number in elsewhere:
            flags[t.pk].append("同年已报名其他项目")
    duplicated = sum(1 for f in flags.values() if "手机号重复" in f or "同年已报名其他项目" in f)
    if duplicated:
        results.append(warning("enrolment.duplicates", f"有{duplicated}条报名疑似重复，请核对。"))
    return EnrolmentReport(results, flags)


def counts(programme):
    return programme.trainees.aggregate(
        approved=Count("pk", filter=Q(state=EnrolmentState.APPROVED)),
        pending=Count("pk", filter=Q(state=EnrolmentState.PENDING)),
    )


__all__ = ["CheckResult", "enrol", "review", "review_warnings", "validate_trainee"]
