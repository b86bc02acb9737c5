from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from yanxiu.core.crypto import EncryptedField
from yanxiu.core.fields import CodeField
from yanxiu.core.validators import validate_landline, validate_mobile, validate_uscc

from .enums import AuthorityKind, BaseStatus, InstitutionType, RecordTier, RegistrationState


class Authority(models.Model):
    """主管部门: reviews its institutions' applications and sends them up."""

    code = models.CharField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类别", max_length=20, choices=AuthorityKind.choices)
    region_code = models.CharField("行政区划代码", max_length=6, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = verbose_name_plural = "主管部门"

    def __str__(self):
        return self.name


class Institution(models.Model):
    """承办单位 / 施训机构. A base that reports directly has its own Authority."""

    name = models.CharField("单位名称", max_length=100, unique=True)
    uscc = CodeField("统一社会信用代码", max_length=18, unique=True, validators=[validate_uscc], upper=True)
    type = models.CharField("单位类型", max_length=20, choices=InstitutionType.choices)
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="institutions", verbose_name="主管部门"
    )
    city = models.CharField("所在设区市", max_length=20, blank=True)
    base_status = models.CharField(
        "是否继续教育基地", max_length=20, choices=BaseStatus.choices, default=BaseStatus.NONE
    )
    base_batch = models.PositiveIntegerField(
        "国家级基地批次", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    can_issue_training_invoice = models.BooleanField(
        "能开具培训费发票", default=False, help_text="由本单位声明，经主管部门确认后计入企业申报条件"
    )
    # The authority's confirmation of the declaration above (decision 0016): cleared when the
    # declaration changes; only a confirmed declaration counts for an enterprise's eligibility.
    training_invoice_confirmed_at = models.DateTimeField("发票能力确认时间", null=True, blank=True)
    training_invoice_confirmed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="确认人"
    )
    address = models.CharField("地址", max_length=200, blank=True)
    office_phone = CodeField("办公电话", max_length=30, blank=True, validators=[validate_landline])
    mobile = EncryptedField(
        "手机",
        max_length=20,
        blank=True,
        validators=[validate_mobile],
        purpose="organisations.institution.mobile",
        code=True,
    )
    fax = CodeField("传真", max_length=30, blank=True, validators=[validate_landline])
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    # A self-registered institution applies only once its authority confirms it (decision 0023).
    registration_state = models.CharField(
        "登记状态", max_length=20, choices=RegistrationState.choices, default=RegistrationState.CONFIRMED
    )

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "承办单位"

    def __str__(self):
        return self.name

    @property
    def is_enterprise(self):
        return self.type == InstitutionType.ENTERPRISE

    @property
    def is_confirmed(self):
        return self.registration_state == RegistrationState.CONFIRMED

    @property
    def training_invoice_confirmed(self):
        """The declaration 能开具培训费发票, confirmed by the authority (what the eligibility check counts)."""
        return self.can_issue_training_invoice and self.training_invoice_confirmed_at is not None


def letter_path(registration, filename):
    return f"registrations/{registration.institution_id or 'new'}/{filename}"


class Registration(models.Model):
    """An institution's own registration (public page, no login): who registered it, the stamped
    authorisation letter, and its authority's decision (organisations.domain.registration)."""

    institution = models.OneToOneField(
        Institution, on_delete=models.CASCADE, related_name="registration", verbose_name="承办单位"
    )
    account = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="单位管理员账号"
    )
    contact_person = models.CharField("联系人", max_length=50)
    mobile = EncryptedField(
        "联系人手机",
        max_length=20,
        validators=[validate_mobile],
        purpose="organisations.registration.mobile",
        code=True,
    )
    email = EncryptedField("联系人邮箱", max_length=254, purpose="organisations.registration.email")
    letter = models.FileField("盖章授权书", upload_to=letter_path, max_length=300)
    letter_name = models.CharField("授权书文件名", max_length=200)
    submitted_at = models.DateTimeField("提交时间")
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="处理人"
    )
    reason = models.CharField("未予确认的理由", max_length=500, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = verbose_name_plural = "单位注册"

    def __str__(self):
        return f"{self.institution}（{self.institution.get_registration_state_display()}）"


class ProgrammeRecord(models.Model):
    """One past year's planned programme of an institution and whether it was completed.

    Filled from the system's own delivery records from the first year on, and
    entered by the province office for years before the system.
    """

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="programme_records", verbose_name="承办单位"
    )
    year = models.PositiveIntegerField("年度")
    title = models.CharField("项目名称", max_length=200)
    tier = models.CharField("级别", max_length=20, blank=True, choices=RecordTier.choices)
    completed = models.BooleanField("按计划完成", default=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = verbose_name_plural = "往年项目完成情况"

    def __str__(self):
        return f"{self.year} {self.title}"


class HostQuality(models.Model):
    """A host institution's quality score (承办质量评分) with its sources, kept by the delivery app
    (delivery/domain/quality.py) and read by the lists beside each application: the intake
    list, the selection pool, the experts' page (decision 0027; the formula: docs/delivery.md)."""

    institution = models.OneToOneField(
        Institution, on_delete=models.CASCADE, related_name="quality", verbose_name="承办单位"
    )
    score = models.DecimalField("质量评分", max_digits=4, decimal_places=1, null=True, blank=True)
    sources = models.JSONField("评分来源", default=dict)
    summary = models.CharField("评分来源说明", max_length=300, blank=True)
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = verbose_name_plural = "承办质量评分"

    def __str__(self):
        return f"{self.institution}：{self.score if self.score is not None else '暂无'}"


class DeadlineExtension(models.Model):
    """A late window the province office grants one institution or one authority."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, verbose_name="通知")
    tier = models.CharField("级别", max_length=20, choices=[("national", "国家级"), ("provincial", "省级")])
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, null=True, blank=True, verbose_name="承办单位"
    )
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, null=True, blank=True, verbose_name="主管部门")
    until = models.DateTimeField("延期至")
    reason = models.CharField("理由", max_length=300)
    granted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, verbose_name="批准人"
    )
    granted_at = models.DateTimeField("批准时间", auto_now_add=True)

    class Meta:
        ordering = ["-until"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(institution__isnull=False, authority__isnull=True)
                | models.Q(institution__isnull=True, authority__isnull=False),
                name="extension_for_institution_xor_authority",
                violation_error_message="请在承办单位和主管部门中选择且只选择一个。",
            )
        ]
        verbose_name = verbose_name_plural = "延期申报"

    def __str__(self):
        return f"{self.institution or self.authority} 延期至 {self.until:%Y-%m-%d %H:%M}"
