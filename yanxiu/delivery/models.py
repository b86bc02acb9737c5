"""Delivery of a planned programme: the run record, its trainees, attendance,
money, closing documents, survey and certificates. Thin models: rules live in
domain/, state changes go through domain/programmes.py."""

import secrets

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models

from yanxiu.accounts.rules import is_authority_reviewer, is_institution_staff, is_province_officer
from yanxiu.applications.enums import ApplicationState, HalfDay, TraineeTitleLevel
from yanxiu.core.crypto import EncryptedField, KeyedHashField, lookup_hashes
from yanxiu.core.dates import chinese_date
from yanxiu.core.jobs import JobProgress, JobState
from yanxiu.core.masks import mask_person_name
from yanxiu.core.validators import validate_mobile, validate_plain_text
from yanxiu.reference.domain.workdays import Period, Unit

from .enums import (
    ATTENDANCE_HALF_DAY_CHOICES,
    PROVINCES,
    AccountsKind,
    ChangeState,
    EnrolmentState,
    FileKind,
    Gender,
    ProgrammeState,
    Sector,
)

plain = [validate_plain_text]


def new_token():
    return secrets.token_urlsafe(16)


class DeliverySettings(models.Model):
    """What the call fixes for delivery (kept here so the calls app is unchanged)."""

    call = models.OneToOneField("calls.Call", on_delete=models.CASCADE, related_name="delivery_settings")
    credit_hours_per_day = models.DecimalField(
        "每天学时",
        max_digits=4,
        decimal_places=1,
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="结业证书按出勤天数×每天学时计算学时",
    )
    closing_days = models.PositiveIntegerField(
        "结业材料提交期限（结束后）", default=10, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    closing_unit = models.CharField(
        "期限单位", max_length=10, choices=Unit.choices, default=Unit.WORKING, help_text="工作日按法定节假日和调休计算"
    )
    min_attendance_percent = models.PositiveIntegerField(
        "颁发证书的最低出勤率（%）", default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    min_grassroots_percent = models.PositiveIntegerField("基层一线学员比例提醒线（%）", default=30)
    min_non_public_percent = models.PositiveIntegerField("非公有制领域学员比例提醒线（%）", default=10)

    class Meta:
        verbose_name = verbose_name_plural = "实施与结业设置"

    def __str__(self):
        return f"{self.call.year}年实施与结业设置"

    @property
    def closing_period(self):
        return Period(self.closing_days, self.closing_unit)


class AuthorityClosingPeriod(models.Model):
    """An authority's own closing period for its hosts' programmes (a city that allows 15 working days
    and asks for photos and the best papers): it replaces the call's period for those programmes."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="+", verbose_name="通知")
    authority = models.ForeignKey("organisations.Authority", on_delete=models.CASCADE, verbose_name="主管部门")
    days = models.PositiveIntegerField(
        "结业材料提交期限（结束后）", validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    unit = models.CharField("期限单位", max_length=10, choices=Unit.choices, default=Unit.WORKING)
    note = models.CharField("要求", max_length=200, blank=True, help_text="如：须附办班照片和优秀论文")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call", "authority"], name="one_closing_period_per_authority")]
        verbose_name = verbose_name_plural = "主管部门结业材料期限"

    def __str__(self):
        return f"{self.authority} {self.period}"

    @property
    def period(self):
        return Period(self.days, self.unit)


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if is_province_officer(user):
            return self
        if is_authority_reviewer(user):
            return self.filter(application__institution__authority_id=user.authority_id)
        if is_institution_staff(user):
            return self.filter(application__institution_id=user.institution_id)
        return self.none()

    def for_list(self):
        return self.select_related("application", "application__call", "application__institution").annotate(
            approved_count=models.Count("trainees", filter=models.Q(trainees__state=EnrolmentState.APPROVED)),
            pending_count=models.Count("trainees", filter=models.Q(trainees__state=EnrolmentState.PENDING)),
        )


class Programme(models.Model):
    """The run record of one planned application (办班)."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="programme", verbose_name="计划项目"
    )
    state = models.CharField("状态", max_length=30, choices=ProgrammeState.choices, default=ProgrammeState.PREPARING)
    start_date = models.DateField("开班日期")
    end_date = models.DateField("结束日期")
    venue = models.CharField("办班地点", max_length=200, validators=plain)
    schedule = models.TextField("日程安排", blank=True, validators=[validate_plain_text, MaxLengthValidator(5000)])
    experts = models.TextField("授课专家", blank=True, validators=[validate_plain_text, MaxLengthValidator(3000)])
    capacity = models.PositiveIntegerField("招收名额", validators=[MinValueValidator(1), MaxValueValidator(1000)])
    arrangements_confirmed_at = models.DateTimeField("开班安排确认时间", null=True, blank=True)
    changed_at = models.DateTimeField(
        "最近批准变更时间", null=True, blank=True, help_text="计划下达后经省人社厅批准变更开班安排的时间"
    )
    enrolment_notice = models.TextField(
        "招生通知", blank=True, validators=[validate_plain_text, MaxLengthValidator(5000)]
    )
    enrolment_open = models.BooleanField("开放报名", default=False)
    waiting_list = models.BooleanField(
        "名额满后接受候补报名", default=False, help_text="不勾选：名额已满时公开页面停止接受报名"
    )
    enrolment_deadline = models.DateField("报名截止日期", null=True, blank=True)
    survey_token = models.CharField(max_length=40, unique=True, default=new_token)
    closing_submitted_at = models.DateTimeField("结业材料提交时间", null=True, blank=True)
    closing_days_late = models.PositiveIntegerField(
        "逾期提交天数", null=True, blank=True, help_text="结业材料晚于提交期限的天数（按期限单位计）；按期提交为空"
    )
    closing_late_unit = models.CharField("逾期天数单位", max_length=10, choices=Unit.choices, blank=True)
    overdue_flagged_at = models.DateTimeField("逾期未完成标记时间", null=True, blank=True)
    decided_at = models.DateTimeField("完成情况确认时间", null=True, blank=True)
    decision_note = models.TextField("完成情况说明", blank=True)
    record = models.OneToOneField(
        "organisations.ProgrammeRecord", on_delete=models.SET_NULL, null=True, blank=True, related_name="programme"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = verbose_name_plural = "研修项目实施"

    def __str__(self):
        return str(self.application)

    @property
    def call(self):
        return self.application.call

    @property
    def institution(self):
        return self.application.institution

    @property
    def days(self):
        """Days counted with arrival and departure (both dates inclusive)."""
        return (self.end_date - self.start_date).days + 1

    @property
    def lateness_text(self):
        """逾期N个工作日 (or 逾期N天 for a period in calendar days); empty when on time."""
        if not self.closing_days_late:
            return ""
        return f"逾期{Period(self.closing_days_late, self.closing_late_unit or Unit.CALENDAR)}"

    @property
    def is_fiscal(self):
        """Checked against a cost standard: central fiscal (national) or provincial demonstration."""
        app = self.application
        return app.funding == "fiscal" or app.state == ApplicationState.PROVINCIAL_DEMONSTRATION


class ProgrammeChange(models.Model):
    """A change to the planned dates or venue, which the province office approves."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="changes")
    changes = models.JSONField("变更内容")  # {field: [old, new]} as ISO strings
    reason = models.TextField("变更理由", validators=[validate_plain_text, MaxLengthValidator(1000)])
    state = models.CharField("状态", max_length=20, choices=ChangeState.choices, default=ChangeState.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme"], condition=models.Q(state="pending"), name="one_pending_change_per_programme"
            )
        ]
        verbose_name = verbose_name_plural = "开班安排变更"

    def __str__(self):
        return f"{self.programme} 变更（{self.get_state_display()}）"


class TraineeQuerySet(models.QuerySet):
    """ID numbers and mobiles are encrypted: find them by their keyed hash.
    Both take the normalised value (domain/ids.normalise, core.validators.normalise_phone)."""

    def with_id_number(self, number):
        return self.filter(id_number_hash__in=lookup_hashes("id_number", number))

    def with_id_numbers(self, numbers):
        return self.filter(id_number_hash__in=[h for n in numbers for h in lookup_hashes("id_number", n)])

    def with_mobile(self, mobile):
        return self.filter(mobile_hash__in=lookup_hashes("mobile", mobile))


class Trainee(models.Model):
    """One enrolment (学员报名). The full ID number is read only through
    domain/personal_data.py, which checks the role and logs the view.
    ID number and mobile are stored encrypted (core.crypto), each with a keyed
    hash for the duplicate check and lookups (`Trainee.objects.with_id_number`)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="trainees")
    name = models.CharField("姓名", max_length=30, validators=plain)
    id_number = EncryptedField("身份证号", max_length=18, purpose="delivery.trainee.id_number", code=True)
    id_number_hash = KeyedHashField(source="id_number", purpose="id_number", db_index=True)
    id_masked = models.CharField("身份证号（脱敏）", max_length=18)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices)
    employer = models.CharField("工作单位", max_length=100, validators=plain)
    position = models.CharField("职务", max_length=50, blank=True, validators=plain)
    title_level = models.CharField("职称等级", max_length=20, choices=TraineeTitleLevel.choices)
    professional_field = models.CharField("专业领域", max_length=50, validators=plain)
    mobile = EncryptedField(
        "手机", max_length=11, validators=[validate_mobile], purpose="delivery.trainee.mobile", code=True
    )
    mobile_hash = KeyedHashField(source="mobile", purpose="mobile", db_index=True)
    province = models.CharField("所在省份", max_length=2, choices=PROVINCES)
    is_grassroots = models.BooleanField("基层一线", default=False)
    sector = models.CharField("单位性质", max_length=20, choices=Sector.choices, default=Sector.PUBLIC)
    state = models.CharField("状态", max_length=20, choices=EnrolmentState.choices, default=EnrolmentState.PENDING)
    source = models.CharField("来源", max_length=20, default="public")
    enrolled_at = models.DateTimeField("报名时间")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=300, blank=True)

    objects = TraineeQuerySet.as_manager()

    class Meta:
        ordering = ["enrolled_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "id_number_hash"], name="one_enrolment_per_id_and_programme")
        ]
        verbose_name = verbose_name_plural = "学员"

    def __str__(self):
        return self.name


class PersonalDataAccess(models.Model):
    """A logged view of whole ID numbers: who, when, which trainees, from where, why."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="personal_data_accesses")
    purpose = models.CharField("用途", max_length=50)  # what was shown: 查看身份证号, 导出学员名册…
    reason = models.CharField("用途说明", max_length=200, blank=True)  # what the user stated, for exports
    client_address = models.GenericIPAddressField("客户端地址", null=True, blank=True)
    trainee_ids = models.JSONField("学员", default=list)
    created_at = models.DateTimeField("时间")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "个人信息查看记录"

    def __str__(self):
        return f"{self.actor} {self.purpose}（{len(self.trainee_ids)}名学员）"


class Attendance(models.Model):
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="attendance")
    date = models.DateField("日期")
    half_day = models.CharField("时段", max_length=5, choices=ATTENDANCE_HALF_DAY_CHOICES)
    present = models.BooleanField("出勤", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        ordering = ["date", HalfDay.ordering()]
        constraints = [
            models.UniqueConstraint(fields=["trainee", "date", "half_day"], name="one_attendance_per_half_day")
        ]
        verbose_name = verbose_name_plural = "考勤"

    def __str__(self):
        return f"{self.trainee} {chinese_date(self.date)}{self.get_half_day_display()}：{'出勤' if self.present else '缺勤'}"


class CheckIn(models.Model):
    """A half-day's QR check-in (扫码签到), opened by the host on the class day. The QR code
    shown on the host's screen is a URL with a token signed with `secret` for this check-in
    and the minute it was shown (domain/checkin.py)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="check_ins")
    date = models.DateField("日期")
    half_day = models.CharField("时段", max_length=5, choices=ATTENDANCE_HALF_DAY_CHOICES)
    secret = models.CharField(max_length=40, default=new_token)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField("开启时间")
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        ordering = ["date", HalfDay.ordering()]
        constraints = [
            models.UniqueConstraint(fields=["programme", "date", "half_day"], name="one_check_in_per_half_day")
        ]
        verbose_name = verbose_name_plural = "扫码签到"

    def __str__(self):
        return f"{self.programme} {chinese_date(self.date)}{self.get_half_day_display()}扫码签到"

    @property
    def is_open(self):
        return self.closed_at is None


class Accounts(models.Model):
    """A budget (at application time) or final accounts (at closing), in the notice's cost items."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="accounts")
    kind = models.CharField("类别", max_length=10, choices=AccountsKind.choices)
    cost_standard = models.ForeignKey(
        "reference.TrainingCostStandard", on_delete=models.PROTECT, null=True, blank=True, verbose_name="培训费标准"
    )
    trainees = models.PositiveIntegerField("学员人数", default=0, validators=[MaxValueValidator(1000)])
    days = models.PositiveIntegerField("天数（含报到返程）", default=0, validators=[MaxValueValidator(60)])
    teachers = models.DecimalField("师资费", max_digits=12, decimal_places=2, default=0)
    accommodation = models.DecimalField("住宿费", max_digits=12, decimal_places=2, default=0)
    meals = models.DecimalField("伙食费", max_digits=12, decimal_places=2, default=0)
    venue = models.DecimalField("场地费", max_digits=12, decimal_places=2, default=0)
    materials = models.DecimalField("资料费", max_digits=12, decimal_places=2, default=0)
    transport = models.DecimalField("交通费", max_digits=12, decimal_places=2, default=0)
    other = models.DecimalField("其他费用", max_digits=12, decimal_places=2, default=0)
    charged_to_trainees = models.DecimalField(
        "向学员收取的费用（往返交通费除外）", max_digits=12, decimal_places=2, default=0
    )
    note = models.TextField("说明", blank=True, validators=[validate_plain_text, MaxLengthValidator(1000)])
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("更新时间")

    ITEMS = ("teachers", "accommodation", "meals", "venue", "materials", "transport", "other")
    QUOTA_ITEMS = ("accommodation", "meals", "venue", "materials", "transport", "other")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="one_accounts_per_kind")]
        verbose_name = verbose_name_plural = "经费预决算"

    def __str__(self):
        return f"{self.application} {self.get_kind_display()}"

    @property
    def total(self):
        return sum(getattr(self, item) for item in self.ITEMS)


class LectureLine(models.Model):
    """One lecture: who, which half-day, how many class hours, what fee."""

    accounts = models.ForeignKey(Accounts, on_delete=models.CASCADE, related_name="lectures")
    date = models.DateField("日期")
    half_day = models.CharField("时段", max_length=5, choices=ATTENDANCE_HALF_DAY_CHOICES)
    lecturer = models.CharField("授课专家", max_length=50, validators=plain)
    fee_standard = models.ForeignKey(
        "reference.LectureFeeStandard", on_delete=models.PROTECT, verbose_name="职称（讲课费标准）"
    )
    class_hours = models.DecimalField("学时", max_digits=4, decimal_places=1, validators=[MinValueValidator(0.5)])
    fee = models.DecimalField("讲课费", max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["date", HalfDay.ordering(), "pk"]

    def __str__(self):
        return f"{chinese_date(self.date)}{self.get_half_day_display()} {self.lecturer}"


def programme_file_path(instance, filename):
    return f"delivery/{instance.programme_id}/{instance.kind}/{instance.stored_token}{instance.extension}"


class ProgrammeFile(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField("类别", max_length=30, choices=FileKind.choices)
    file = models.FileField(upload_to=programme_file_path, max_length=300)
    original_name = models.CharField("文件名", max_length=200)
    extension = models.CharField(max_length=10)
    stored_token = models.CharField(max_length=40, default=new_token)
    size = models.PositiveBigIntegerField("大小")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        ordering = ["kind", "uploaded_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.original_name}"


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class SurveyResponse(models.Model):
    """A trainee's satisfaction survey (满意度测评), one per trainee."""

    QUESTIONS = (
        ("content", "研修内容的前沿性和实用性"),
        ("lecturers", "授课专家的水平"),
        ("organisation", "组织管理和服务保障"),
        ("overall", "总体满意度"),
    )

    trainee = models.OneToOneField(Trainee, on_delete=models.CASCADE, related_name="survey")
    content = models.PositiveSmallIntegerField(validators=SCORE)
    lecturers = models.PositiveSmallIntegerField(validators=SCORE)
    organisation = models.PositiveSmallIntegerField(validators=SCORE)
    overall = models.PositiveSmallIntegerField(validators=SCORE)
    comment = models.TextField("意见和建议", blank=True, validators=[validate_plain_text, MaxLengthValidator(500)])
    answered_at = models.DateTimeField()

    def __str__(self):
        return f"{self.trainee} 满意度测评"


class Certificate(models.Model):
    trainee = models.OneToOneField(Trainee, on_delete=models.PROTECT, related_name="certificate")
    serial = models.CharField("证书编号", max_length=30, unique=True)
    credit_hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    token = models.CharField(max_length=40, unique=True, default=new_token)
    issued_at = models.DateTimeField("颁发时间")

    class Meta:
        ordering = ["serial"]
        verbose_name = verbose_name_plural = "结业证书"

    def __str__(self):
        return self.serial

    @property
    def hours_text(self):
        """The credit hours as the certificate prints them, everywhere: 28学时, 27.5学时."""
        return self.format_hours(self.credit_hours)

    @staticmethod
    def format_hours(credit_hours):
        return f"{credit_hours.normalize():f}学时"

    @property
    def holder_masked(self):
        """The holder's name as public pages and the register show it (core.masks.mask_person_name)."""
        return mask_person_name(self.trainee.name)


class CertificateJob(JobProgress, models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="certificate_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField("状态", max_length=20, choices=JobState.choices, default=JobState.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="delivery/certificates/", blank=True, max_length=300)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.programme} 结业证书（{self.get_state_display()}）"
