from django.db import models


class ApplicationState(models.TextChoices):
    """The life of an application up to the annual plan.

    Later stages (selection, delivery) extend this list; see docs/architecture.md.
    """

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交主管部门"
    RETURNED = "returned", "退回修改"
    AUTHORITY_APPROVED = "authority_approved", "主管部门审核通过"
    AUTHORITY_DECLINED = "authority_declined", "主管部门不予推荐"
    FORWARDED = "forwarded", "已报送省人社厅"
    NATIONAL_CANDIDATE = "national_candidate", "推荐申报国家级"
    MINISTRY_SELECTED = "ministry_selected", "入选国家级计划"
    PROVINCIAL_DEMONSTRATION = "provincial_demonstration", "入选省级示范项目"
    PROVINCIAL_ORDINARY = "provincial_ordinary", "入选省级普通项目"
    NOT_SELECTED = "not_selected", "未入选"


EDITABLE_STATES = (ApplicationState.DRAFT, ApplicationState.RETURNED)
# Programmes in the annual plan (they will run).
PLANNED_STATES = (
    ApplicationState.MINISTRY_SELECTED,
    ApplicationState.PROVINCIAL_DEMONSTRATION,
    ApplicationState.PROVINCIAL_ORDINARY,
)


class Funding(models.TextChoices):
    FISCAL = "fiscal", "财政资助项目"
    SELF_FUNDED = "self_funded", "自筹经费项目"


class HalfDay(models.TextChoices):
    """A half-day slot, declared in the day's own order (上午, 下午, 晚上).

    The codes do not sort that way ("eve" < "pm"): order by `HalfDay.rank` in Python and by
    `HalfDay.ordering()` in queries, never by the code.
    """

    MORNING = "am", "上午"
    AFTERNOON = "pm", "下午"
    EVENING = "eve", "晚上"

    @classmethod
    def rank(cls, value):
        """0, 1, 2 for 上午, 下午, 晚上 (an unknown code after them)."""
        try:
            return cls.values.index(value)
        except ValueError:
            return len(cls.values)

    @classmethod
    def ordering(cls, field="half_day"):
        """The same order as a query expression (for Meta.ordering and order_by)."""
        return models.Case(
            *(models.When(**{field: value}, then=models.Value(i)) for i, value in enumerate(cls.values)),
            default=models.Value(len(cls.values)),
            output_field=models.IntegerField(),
        ).asc()


class SessionFormat(models.TextChoices):
    KEYNOTE = "keynote", "主题报告"
    SEMINAR = "seminar", "专题研讨"
    EXCHANGE = "exchange", "学术交流"
    SITE_VISIT = "site_visit", "现场教学"
    CASE_STUDY = "case_study", "案例分析"
    OTHER = "other", "其他"


class DeliveryMode(models.TextChoices):
    OFFLINE = "offline", "线下"
    ONLINE = "online", "线上"


class LecturerTitle(models.TextChoices):
    ACADEMICIAN = "academician", "院士"
    MINISTERIAL = "ministerial", "省部级领导"
    FULL_SENIOR = "full_senior", "正高级"
    DEPUTY_SENIOR = "deputy_senior", "副高级"
    OTHER = "other", "其他"


HIGHLIGHTED_LECTURER_TITLES = (LecturerTitle.ACADEMICIAN, LecturerTitle.MINISTERIAL)


class TraineeTitleLevel(models.TextChoices):
    MIDDLE = "middle", "中级"
    DEPUTY_SENIOR = "deputy_senior", "副高级"
    FULL_SENIOR = "full_senior", "正高级"
    OTHER = "other", "其他（初级或无职称）"


# "研修学员一般应是具有中高级职称（职业资格）的专业技术人员" (通知二（一）).
MID_OR_SENIOR = (TraineeTitleLevel.MIDDLE, TraineeTitleLevel.DEPUTY_SENIOR, TraineeTitleLevel.FULL_SENIOR)


class AttachmentKind(models.TextChoices):
    SUPPORTING = "supporting", "证明材料"
    STAMPED_FORM = "stamped_form", "盖章申报表扫描件"
    OTHER = "other", "其他"
