from django.db import models

from yanxiu.applications.enums import ApplicationState


class Level(models.IntegerChoices):
    """The five levels of 政务服务好差评."""

    VERY_SATISFIED = 5, "很满意"
    SATISFIED = 4, "满意"
    FAIRLY_SATISFIED = 3, "基本满意"
    DISSATISFIED = 2, "不满意"
    VERY_DISSATISFIED = 1, "很不满意"


# 好评: the three satisfied levels; 差评: the two others (decision 0027).
SATISFIED_LEVELS = (Level.VERY_SATISFIED, Level.SATISFIED, Level.FAIRLY_SATISFIED)


class MatterKind(models.TextChoices):
    APPLICATION = "application", "申报办理"
    CERTIFICATE = "certificate", "结业证书颁发"


# An application is a completed matter once it is decided: declined by its authority, or
# selected or not by the office (a national candidate waits for the ministry's answer).
DECIDED_STATES = (
    ApplicationState.AUTHORITY_DECLINED,
    ApplicationState.MINISTRY_SELECTED,
    ApplicationState.PROVINCIAL_DEMONSTRATION,
    ApplicationState.PROVINCIAL_ORDINARY,
    ApplicationState.NOT_SELECTED,
)
