"""好差评 (decision 0027): after a completed matter (an application decided, a certificate
issued) its applicant rates the service once, 很满意 to 很不满意 with a comment; the office
reads the figures. Every rating is audited on the matter it rates."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count

from yanxiu.audit.log import record
from yanxiu.core import clock
from yanxiu.core.refusal import Refused
from yanxiu.delivery.domain.ids import normalise
from yanxiu.delivery.models import Trainee

from ..enums import DECIDED_STATES, SATISFIED_LEVELS, Level, MatterKind
from ..models import ServiceRating
from ..rules import is_applicant

TWICE = "该事项已评价过，每个事项只能评价一次。"


def _level(value):
    try:
        return Level(int(value))
    except (TypeError, ValueError):
        raise Refused("请选择评价等级。", errors={"level": "请选择评价等级。"}) from None


def _save(matter, kind, level, comment, actor):
    level = _level(level)
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise Refused("意见和建议不能超过500字。", errors={"comment": "意见和建议不能超过500字。"})
    try:
        with transaction.atomic():
            rating = ServiceRating.objects.create(
                kind=kind, matter_id=matter.pk, level=level, comment=comment, rated_by=actor, rated_at=clock.now()
            )
            record(matter, action="rate_service", label="服务评价", actor=actor, data={"level": int(level)})
    except IntegrityError:
        raise Refused(TWICE) from None
    return rating


def rated(kind, matter_ids):
    """{matter pk: rating} of those already rated (one query)."""
    return {r.matter_id: r for r in ServiceRating.objects.filter(kind=kind, matter_id__in=list(matter_ids))}


def rate_application(application, actor, *, level, comment=""):
    if not is_applicant(actor, application):
        raise Refused("只有申报单位本单位的经办人可以评价本事项。")
    if application.state not in DECIDED_STATES:
        raise Refused("该申报尚未办结，办结后才能评价。")
    return _save(application, MatterKind.APPLICATION, level, comment, actor)


def rate_certificate(certificate, *, id_number, level, comment=""):
    """The holder rates the issuing of their certificate, proving it with their ID number."""
    holder = Trainee.objects.filter(pk=certificate.trainee_id).with_id_number(normalise(id_number))
    if not holder.exists():
        raise Refused(
            "身份证号与证书持有人不符：只有持证人本人可以评价。", errors={"id_number": "身份证号与证书持有人不符。"}
        )
    return _save(certificate, MatterKind.CERTIFICATE, level, comment, None)


@dataclass
class Figures:
    label: str
    counts: list  # (level label, count), 很满意 first
    total: int
    satisfied: int

    @property
    def satisfied_percent(self):
        return round(self.satisfied * 100 / self.total, 1) if self.total else None


def figures():
    """Per kind and in all: counts per level and the share satisfied (one GROUP BY query)."""
    counts = {
        (row["kind"], row["level"]): row["n"]
        for row in ServiceRating.objects.values("kind", "level").annotate(n=Count("pk")).order_by()
    }
    result = []
    for kind, label in [*MatterKind.choices, (None, "合计")]:
        per_level = [
            (level.label, sum(n for (k, lv), n in counts.items() if lv == level and (kind is None or k == kind)))
            for level in Level
        ]
        levels = dict(zip(Level, (n for _, n in per_level), strict=True))
        result.append(
            Figures(
                label=label,
                counts=per_level,
                total=sum(levels.values()),
                satisfied=sum(levels[level] for level in SATISFIED_LEVELS),
            )
        )
    return result


def comments(limit=200):
    """The latest comments, newest first, with their matter's kind and level as words."""
    rows = ServiceRating.objects.exclude(comment="").values("kind", "level", "comment", "rated_at")[:limit]
    return [{**r, "kind_label": MatterKind(r["kind"]).label, "level_label": Level(r["level"]).label} for r in rows]
