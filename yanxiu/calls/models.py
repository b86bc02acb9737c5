"""The yearly call (年度申报通知) and everything it fixes, as editable data.

No rule value of the notice lives in code: checks read them from here.
"""

from datetime import datetime, time

from django.db import models
from django.utils import timezone

from .enums import RecruitmentScope, Tier, TopicAreaCode


class Call(models.Model):
    year = models.PositiveIntegerField("年度", unique=True)
    title = models.CharField("通知标题", max_length=200)
    document_number = models.CharField("文号", max_length=100, blank=True)
    document_date = models.DateField("发文日期", null=True, blank=True)
    completion_date = models.DateField("办班完成截止日期", help_text="应在此日期之前（含当日）完成办班")
    previous_year_for_completion = models.PositiveIntegerField(
        "考核往年完成情况的年度", null=True, blank=True, help_text="原则上不推荐该年度未按计划完成任务的承办单位"
    )
    office_name = models.CharField("受理处室", max_length=100, default="省人社厅职业能力建设处")
    # The annual plan is issued as an official document (GB/T 9704-2012) in these names.
    issuing_authority = models.CharField(
        "发文机关", max_length=100, default="福建省人力资源和社会保障厅", help_text="年度计划公文的发文机关标志和署名"
    )
    printing_office = models.CharField(
        "印发机关", max_length=100, default="福建省人力资源和社会保障厅办公室", help_text="年度计划公文版记中的印发机关"
    )
    office_address = models.CharField("地址", max_length=200, blank=True)
    office_postcode = models.CharField("邮编", max_length=10, blank=True)
    office_email = models.EmailField("电子版报送邮箱", blank=True)
    contact_persons = models.CharField("联系人", max_length=200, blank=True)
    contact_phones = models.CharField("联系电话", max_length=200, blank=True)
    is_open = models.BooleanField("开放申报", default=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = verbose_name_plural = "年度申报通知"

    def __str__(self):
        return f"{self.year}年 {self.title}"

    def tier_rule(self, tier) -> "TierRule":
        for rule in self.tier_rules.all():
            if rule.tier == tier:
                return rule
        raise TierRule.DoesNotExist(f"{self} has no rule for {tier}")


class TierRule(models.Model):
    """What the call fixes for one tier: form, deadline, duration, trainees."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="tier_rules", verbose_name="通知")
    tier = models.CharField("级别", max_length=20, choices=Tier.choices)
    form_label = models.CharField("申报表", max_length=50, help_text="如：附件1")
    form_title = models.CharField("申报表标题", max_length=200)
    deadline = models.DateField("申报截止日期", help_text="当日24时前")
    min_days = models.PositiveIntegerField("研修天数下限（含报到返程）")
    max_days = models.PositiveIntegerField("研修天数上限（含报到返程）")
    duration_wording = models.CharField("天数要求原文", max_length=100, help_text="如：一般为5至7天")
    duration_is_strict = models.BooleanField("天数为硬性要求", default=False)
    min_trainees = models.PositiveIntegerField("学员数量下限")
    trainees_wording = models.CharField("学员数量要求原文", max_length=100)
    trainees_is_strict = models.BooleanField("学员数量为硬性要求", default=True)
    recruitment_scope = models.CharField("招收范围", max_length=20, choices=RecruitmentScope.choices)
    authority_quota = models.PositiveIntegerField(
        "每个主管部门限报数量", null=True, blank=True, help_text="留空表示不限"
    )
    min_lead_days = models.PositiveIntegerField(
        "开班前至少留出天数",
        default=30,
        help_text="距开班不足此天数时，提醒主管部门和省人社厅该项目时间紧张（不阻止提交）",
    )

    class Meta:
        ordering = ["call", "tier"]
        constraints = [models.UniqueConstraint(fields=["call", "tier"], name="unique_tier_rule")]
        verbose_name = verbose_name_plural = "级别规则"

    def __str__(self):
        return f"{self.call.year}年{self.get_tier_display()}"

    @property
    def deadline_end(self) -> datetime:
        """The deadline is the end of its day, local time."""
        return timezone.make_aware(datetime.combine(self.deadline, time.max))


class TopicArea(models.Model):
    """One of the three topic-scope areas (选题范围) with the notice's keywords."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="topic_areas", verbose_name="通知")
    code = models.CharField("代码", max_length=20, choices=TopicAreaCode.choices)
    name = models.CharField("名称", max_length=50)
    description = models.TextField("通知原文")
    keywords = models.CharField("关键词", max_length=500, help_text="以顿号或逗号分隔")
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["call", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["call", "code"], name="unique_topic_area")]
        verbose_name = verbose_name_plural = "选题范围"

    def __str__(self):
        return self.name

    def keyword_list(self):
        return [k.strip() for k in self.keywords.replace("，", "、").replace(",", "、").split("、") if k.strip()]
