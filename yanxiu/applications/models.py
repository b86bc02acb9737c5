"""Applications (申报) for one call: the fields of 附件1 and 附件2 as data.

Thin models: rules live in domain/checks.py, state changes in domain/workflow.py.
"""

import re

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models

from yanxiu.accounts.rules import is_authority_reviewer, is_institution_staff, is_province_officer
from yanxiu.calls.enums import RecruitmentScope, Tier
from yanxiu.core.crypto import EncryptedField
from yanxiu.core.fields import CodeField
from yanxiu.core.validators import validate_landline, validate_mobile, validate_plain_text
from yanxiu.organisations.enums import BaseStatus
from yanxiu.organisations.models import Institution

from .enums import (
    EDITABLE_STATES,
    HIGHLIGHTED_LECTURER_TITLES,
    ApplicationState,
    AttachmentKind,
    DeliveryMode,
    Funding,
    HalfDay,
    LecturerTitle,
    SessionFormat,
)

# Limits on text length keep every field printable on the official form.
TITLE_MAX = 60
LONG_TEXT_MAX = 3000
plain = [validate_plain_text]


TITLE_FILLER = re.compile(r"(高级研修班|高级研修项目|研修班|高研班|专题|培训班|[\s\W_]+)")


def title_key(title):
    """Titles that differ only in filler words and punctuation count as the same (duplicate flag)."""
    return TITLE_FILLER.sub("", title or "").lower()[:60]


def long_text(label, **kwargs):
    return models.TextField(
        label, blank=True, validators=[validate_plain_text, MaxLengthValidator(LONG_TEXT_MAX)], **kwargs
    )


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Scope to what the user's organisation may see; nothing for anyone else."""
        if not user.is_authenticated:
            return self.none()
        if is_province_officer(user):
            return self
        if is_authority_reviewer(user):
            # An institution's drafts are its own, except drafts the authority
            # itself imported from Word forms on the institution's behalf.
            return self.filter(institution__authority_id=user.authority_id).exclude(
                models.Q(state=ApplicationState.DRAFT) & ~models.Q(created_by__authority_id=user.authority_id)
            )
        if is_institution_staff(user):
            return self.filter(institution_id=user.institution_id)
        return self.none()

    def for_list(self):
        return self.select_related("call", "institution", "institution__authority", "domain")


def authority_code_of(institution_id):
    """The code of the institution's authority (what Application.authority_code copies)."""
    return Institution.objects.filter(pk=institution_id).values_list("authority__code", flat=True).first() or ""


def application_label(title, tier):
    """How an application is named in lists and headings (an untitled draft by its tier)."""
    return title or f"（未命名{Tier(tier).label}申报）"


class ListedLabels:
    """An application read as values for a list page (no model instance; issue 13) names itself
    and its tier as Application does. Mixed into such a row, which has `title` and `tier`."""

    __slots__ = ()

    def __str__(self):
        return application_label(self.title, self.tier)

    def get_tier_display(self):
        return Tier(self.tier).label


class Application(models.Model):
    call = models.ForeignKey(
        "calls.Call", on_delete=models.PROTECT, related_name="applications", verbose_name="年度通知"
    )
    tier = models.CharField("申报级别", max_length=20, choices=Tier.choices)
    institution = models.ForeignKey(
        "organisations.Institution", on_delete=models.PROTECT, related_name="applications", verbose_name="承办单位"
    )
    state = models.CharField("状态", max_length=30, choices=ApplicationState.choices, default=ApplicationState.DRAFT)
    # Optimistic lock: every save must name the version it was edited from.
    version = models.PositiveIntegerField("版本", default=1)

    title = models.CharField("项目名称", max_length=TITLE_MAX, blank=True, validators=plain)
    title_key = models.CharField(max_length=60, blank=True, editable=False)
    start_date = models.DateField("开始日期", null=True, blank=True)
    end_date = models.DateField("结束日期", null=True, blank=True)
    venue_city = models.CharField("办班城市", max_length=30, blank=True, validators=plain)
    venue_place = models.CharField("办班地点", max_length=100, blank=True, validators=plain)
    domain = models.ForeignKey(
        "reference.ProfessionalDomain", on_delete=models.PROTECT, null=True, blank=True, verbose_name="专业技术领域"
    )
    competent_department = models.ForeignKey(
        "reference.CompetentDepartment", on_delete=models.PROTECT, null=True, blank=True, verbose_name="行业主管部门"
    )
    funding = models.CharField("申报项目类别", max_length=20, choices=Funding.choices, blank=True)
    funding_source = models.CharField("自筹经费来源", max_length=200, blank=True, validators=plain)

    purpose = long_text("研修目的和作用")
    content_summary = long_text("研修内容和方式（概述）")
    lecturer_summary = long_text("授课专家情况（概述）")

    trainee_description = long_text("研修对象")
    planned_trainees = models.PositiveIntegerField(
        "计划招收学员人数", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100000)]
    )
    recruitment_scope = models.CharField("招收范围", max_length=20, choices=RecruitmentScope.choices, blank=True)
    trainee_title_levels = models.JSONField("学员职称要求", default=list, blank=True)

    host_name = models.CharField("承办单位名称", max_length=100, blank=True, validators=plain)
    host_contact = models.CharField("联系人", max_length=50, blank=True, validators=plain)
    host_office_phone = CodeField("办公电话", max_length=30, blank=True, validators=[validate_landline])
    host_mobile = EncryptedField(
        "手机",
        max_length=20,
        blank=True,
        validators=[validate_mobile],
        purpose="applications.application.host_mobile",
        code=True,
    )
    host_fax = CodeField("传真", max_length=30, blank=True, validators=[validate_landline])
    host_address = models.CharField("地址", max_length=200, blank=True, validators=plain)
    base_status = models.CharField("是否继续教育基地", max_length=20, choices=BaseStatus.choices, blank=True)
    base_batch = models.PositiveIntegerField(
        "国家级基地批次", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(99)]
    )

    declares_independent_hosting = models.BooleanField("独立承办，不与其他单位联办、不转移培训业务", default=False)
    declares_no_trainee_fees = models.BooleanField("除往返交通费外，不向学员收取任何费用", default=False)
    declares_mainly_offline = models.BooleanField("以线下研修为主", default=False)

    # Set by the workflow: what the checks said at submission, the authority's
    # opinion (附件2's opinion row) and rank, and the batch sent to the province.
    check_summary = models.JSONField("提交时的提醒", default=list, blank=True)
    authority_opinion = models.TextField("主管部门审核意见", blank=True)
    authority_opinion_at = models.DateTimeField("审核时间", null=True, blank=True)
    authority_rank = models.PositiveIntegerField("主管部门排序", null=True, blank=True)
    # The host institution's authority's code, copied so that the intake list's order (tier,
    # authority, the authority's rank) is an index scan of one page (decision 0008, item 14).
    # Set when the application is created; signals.py keeps it in step when an institution moves
    # to another authority or an authority's code is changed.
    authority_code = models.CharField("主管部门代码", max_length=30, blank=True, editable=False)
    fallback_from_national = models.BooleanField(
        "国家级未入选转入省级", default=False, help_text="人社部未入选的国家级申报，自动转入省级，无需重复申报"
    )
    batch = models.ForeignKey(
        "batches.Batch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="报送批次",
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("最后修改", auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = verbose_name_plural = "项目申报"
        indexes = [
            models.Index(fields=["call", "tier", "state"]),
            models.Index(fields=["institution", "call"]),
            models.Index(fields=["call", "title_key"]),
            models.Index(
                fields=["call", "tier", "authority_code", "authority_rank", "id"], name="application_intake_order"
            ),
            # The selection pool's page (selection.domain.decisions.pool): one call's forwarded
            # applications in the pool's order, read from the index without a sort (issue 26).
            models.Index(
                fields=["call", "state", "-fallback_from_national", "tier", "authority_code", "authority_rank", "id"],
                name="application_pool_order",
            ),
        ]

    def __str__(self):
        return application_label(self.title, self.tier)

    def save(self, *args, **kwargs):
        self.title_key = title_key(self.title)
        if self._state.adding and self.institution_id and not self.authority_code:
            self.authority_code = authority_code_of(self.institution_id)
        if kwargs.get("update_fields") is not None and "title" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "title_key"}
        super().save(*args, **kwargs)

    @property
    def is_national(self):
        return self.tier == Tier.NATIONAL

    @property
    def is_editable(self):
        return self.state in EDITABLE_STATES

    @property
    def adjustable_after_fallback(self):
        """A national application fallen back to provincial, waiting for the province's decision:
        the host may adjust its dates and recruitment to the provincial rules (decision 0009)."""
        return self.fallback_from_national and self.state == "forwarded"

    @property
    def days(self):
        """Days of the class, counting arrival and departure (both dates inclusive)."""
        if self.start_date and self.end_date and self.end_date >= self.start_date:
            return (self.end_date - self.start_date).days + 1
        return None

    @property
    def tier_rule(self):
        return self.call.tier_rule(self.tier)

    def claims_with_areas(self):
        """The topic claims with their areas: the prefetched ones when a page read them already."""
        if "topic_claims" in getattr(self, "_prefetched_objects_cache", {}):
            return list(self.topic_claims.all())
        return list(self.topic_claims.select_related("area"))


class ScheduleSession(models.Model):
    """One half-day slot of the programme (研修内容和方式)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField("日期")
    half_day = models.CharField("时段", max_length=10, choices=HalfDay.choices)
    topic = models.CharField("内容", max_length=100, validators=plain)
    speaker = models.CharField("主讲人", max_length=100, blank=True, validators=plain)
    format = models.CharField("方式", max_length=20, choices=SessionFormat.choices)
    mode = models.CharField("线上/线下", max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.OFFLINE)
    class_hours = models.DecimalField(
        "学时",
        max_digits=3,
        decimal_places=1,
        default=3,
        validators=[MinValueValidator(0.5), MaxValueValidator(4)],
    )

    class Meta:
        ordering = ["date", HalfDay.ordering(), "id"]  # 上午, 下午, 晚上 (not the codes' order)
        verbose_name = verbose_name_plural = "日程安排"

    def __str__(self):
        return f"{self.date} {self.get_half_day_display()} {self.topic}"


class Lecturer(models.Model):
    """授课专家 on the form (not the expert reviewers of the selection)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="lecturers")
    name = models.CharField("姓名", max_length=50, validators=plain)
    title = models.CharField("职称/身份", max_length=20, choices=LecturerTitle.choices)
    position = models.CharField("职务/职称全称", max_length=100, blank=True, validators=plain)
    affiliation = models.CharField("工作单位", max_length=100, validators=plain)
    topic = models.CharField("授课内容", max_length=100, blank=True, validators=plain)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "授课专家"

    def __str__(self):
        return self.name

    @property
    def is_highlighted(self):
        return self.title in HIGHLIGHTED_LECTURER_TITLES


class TopicClaim(models.Model):
    """An application ticks a topic-scope area and explains how it fits."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="topic_claims")
    area = models.ForeignKey("calls.TopicArea", on_delete=models.PROTECT, verbose_name="选题范围")
    explanation = models.TextField("说明", blank=True, validators=[validate_plain_text, MaxLengthValidator(1000)])

    class Meta:
        ordering = ["area__sort_order"]
        constraints = [models.UniqueConstraint(fields=["application", "area"], name="unique_topic_claim")]

    def __str__(self):
        return f"{self.area}：{self.explanation}"


class WarningReason(models.Model):
    """The applicant's written reason for proceeding despite a warning check."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="warning_reasons")
    code = models.CharField("规则代码", max_length=60)
    reason = models.TextField("说明理由", validators=[validate_plain_text, MaxLengthValidator(1000)])
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "code"], name="unique_warning_reason")]

    def __str__(self):
        return self.reason


def attachment_path(instance, filename):
    # The stored name is never the user's: it is only kept for display.
    return f"attachments/{instance.application.call.year}/{instance.application_id}/{instance.stored_token}{instance.extension}"


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("类别", max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.SUPPORTING)
    file = models.FileField("文件", upload_to=attachment_path, max_length=300)
    original_name = models.CharField("文件名", max_length=200)
    extension = models.CharField(max_length=10)
    stored_token = models.CharField(max_length=32)
    size = models.PositiveBigIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = verbose_name_plural = "附件"

    def __str__(self):
        return self.original_name
