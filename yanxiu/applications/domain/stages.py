"""How far an application got: the stages that lists, statistics and the API count by.

One definition per stage, so the figure on the statistics page and the list it
links to always select the same applications.
"""

from dataclasses import dataclass

from django.db.models import Q

from ..enums import PLANNED_STATES
from ..enums import ApplicationState as S


@dataclass(frozen=True)
class Stage:
    code: str
    label: str
    condition: Q


FORWARDED_STATES = (
    S.FORWARDED,
    S.NATIONAL_CANDIDATE,
    S.MINISTRY_SELECTED,
    S.PROVINCIAL_DEMONSTRATION,
    S.PROVINCIAL_ORDINARY,
    S.NOT_SELECTED,
)

STAGES = {
    stage.code: stage
    for stage in (
        Stage("created", "填报", Q()),
        Stage("submitted", "提交主管部门", ~Q(state=S.DRAFT)),
        Stage("approved", "主管部门审核通过", Q(state=S.AUTHORITY_APPROVED) | Q(state__in=FORWARDED_STATES)),
        Stage("forwarded", "报送省人社厅", Q(state__in=FORWARDED_STATES)),
        Stage("planned", "列入年度计划", Q(state__in=PLANNED_STATES)),
        # Recommended to the ministry: still waiting, taken, or fallen back to provincial (附件4 第1条).
        Stage(
            "recommended",
            "推荐申报国家级",
            Q(state__in=(S.NATIONAL_CANDIDATE, S.MINISTRY_SELECTED)) | Q(fallback_from_national=True),
        ),
    )
}

# The stages a list can be filtered by (the statistics cards link to them).
STAGE_CHOICES = [(stage.code, stage.label) for stage in STAGES.values() if stage.code != "created"]


def in_stage(queryset, code):
    return queryset.filter(STAGES[code].condition)
