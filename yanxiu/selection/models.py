"""The province's decisions (staged, then published together), the ministry's
answer on national candidates, and the annual plan."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models

from yanxiu.core.validators import validate_plain_text
from yanxiu.reference.domain.workdays import Period, Unit

# Who receives a copy of the annual plan by default (版记 抄送).
DEFAULT_COPY_TO = "人力资源社会保障部专业技术人员管理司"


class Outcome(models.TextChoices):
    NATIONAL_CANDIDATE = "national_candidate", "推荐申报国家级"
    PROVINCIAL_DEMONSTRATION = "provincial_demonstration", "省级示范项目"
    PROVINCIAL_ORDINARY = "provincial_ordinary", "省级普通项目"
    NOT_SELECTED = "not_selected", "不予入选"


class Decision(models.Model):
    """One staged (拟入选) or published decision on an application.

    A fallback from national to provincial gets a second decision: the latest
    one counts, earlier ones stay as history.
    """

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField("遴选结果", max_length=30, choices=Outcome.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    staged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    staged_at = models.DateTimeField("拟定时间")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        ordering = ["-staged_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=models.Q(published_at__isnull=True), name="one_staged_decision"
            )
        ]
        verbose_name = verbose_name_plural = "遴选结果"

    def __str__(self):
        return f"{self.application}：{self.get_outcome_display()}"

    @property
    def is_staged(self):
        return self.published_at is None


class PlanIssue(models.Model):
    """The annual plan as issued (印发): its document number and date, and who gets a copy.

    Created by the first publication of decisions (成文日期 = that day); the office enters
    the 发文字号 and 抄送 on the plan page (selection/domain/plan_issue.py, audited).
    """

    call = models.OneToOneField("calls.Call", on_delete=models.CASCADE, related_name="plan_issue")
    document_number = models.CharField("发文字号", max_length=50, blank=True, help_text="如：闽人社文〔2026〕123号")
    issued_on = models.DateField("成文日期", help_text="遴选结果发布之日")
    copy_to = models.CharField("抄送", max_length=300, blank=True, default=DEFAULT_COPY_TO)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", null=True, blank=True)
    publicity = models.ForeignKey(
        "Publicity", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="公示"
    )
    publicity_waived = models.CharField("未经公示的理由", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度计划发文"

    def __str__(self):
        return f"{self.call.year}年度计划 {self.document_number or '（未编文号）'}"


class Publicity(models.Model):
    """公示: the proposed selection shown on a public page for a period before the plan is issued.

    `items` keeps what was shown (each staged decision's application, outcome, title, host and
    authority), so the plan can be issued only for the selection that was shown (domain/publicity.py)."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="publicities", verbose_name="通知")
    items = models.JSONField("公示内容", default=list)
    starts_on = models.DateField("公示开始日期")
    days = models.PositiveIntegerField("公示期", default=5, validators=[MinValueValidator(1), MaxValueValidator(30)])
    unit = models.CharField("公示期单位", max_length=10, choices=Unit.choices, default=Unit.WORKING)
    ends_on = models.DateField("公示截止日期")
    contact = models.TextField(
        "异议受理联系方式",
        validators=[validate_plain_text, MaxLengthValidator(500)],
        help_text="联系人、电话、地址或邮箱",
    )
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("发布时间")

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = verbose_name_plural = "遴选结果公示"

    def __str__(self):
        return f"{self.call.year}年高级研修项目拟入选名单公示"

    @property
    def period(self):
        return Period(self.days, self.unit)

    @property
    def shown_items(self):
        """What the public page lists: the proposed programmes (not those not selected)."""
        return [item for item in self.items if item["outcome"] != Outcome.NOT_SELECTED]


class ObjectionChannel(models.TextChoices):
    PHONE = "phone", "电话"
    LETTER = "letter", "信函"
    EMAIL = "email", "电子邮件"
    VISIT = "visit", "来访"


class Objection(models.Model):
    """An objection received during a 公示 (by phone, letter…), recorded by the office with its handling."""

    publicity = models.ForeignKey(Publicity, on_delete=models.CASCADE, related_name="objections", verbose_name="公示")
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="涉及项目",
    )
    received_on = models.DateField("收到日期")
    channel = models.CharField("方式", max_length=10, choices=ObjectionChannel.choices)
    objector = models.CharField("反映人", max_length=100, blank=True, validators=[validate_plain_text])
    content = models.TextField("异议内容", validators=[validate_plain_text, MaxLengthValidator(2000)])
    handling = models.TextField("处理情况", blank=True, validators=[validate_plain_text, MaxLengthValidator(2000)])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = verbose_name_plural = "公示异议"

    def __str__(self):
        return f"{self.publicity}：{self.get_channel_display()}异议"
