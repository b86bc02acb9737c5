"""The province's decisions (staged, then published together), the ministry's
answer on national candidates, and the annual plan."""

from django.conf import settings
from django.db import models

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

    class Meta:
        verbose_name = verbose_name_plural = "年度计划发文"

    def __str__(self):
        return f"{self.call.year}年度计划 {self.document_number or '（未编文号）'}"
