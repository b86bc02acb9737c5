import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import models

from yanxiu.core import clock
from yanxiu.core.crypto import EncryptedField


def _short_forms(organisation):
    """The ways a name may already spell its organisation: "福建省农业农村厅人事处" is also
    written "省农业农村厅人事处", "福建现代种业研究院" also "现代种业研究院"."""
    return {organisation, organisation.removeprefix("福建")} - {""}


class Role(models.TextChoices):
    INSTITUTION_STAFF = "institution_staff", "承办单位经办人"
    AUTHORITY_REVIEWER = "authority_reviewer", "主管部门审核人"
    PROVINCE_OFFICER = "province_officer", "省人社厅经办人"
    EXPERT = "expert", "评审专家"
    # 三员分立 (GB/T 22239-2019 8.1.4.2): three administrators, one duty each.
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)
# The roles that decide: their accounts need a second factor (TOTP) where it is required.
DECIDING_ROLES = (Role.PROVINCE_OFFICER, Role.AUTHORITY_REVIEWER, *ADMIN_ROLES)


class User(AbstractUser):
    """Every user belongs to one organisation and has one role in it."""

    role = models.CharField("角色", max_length=30, choices=Role.choices, default=Role.INSTITUTION_STAFF)
    institution = models.ForeignKey(
        "organisations.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="所属单位",
    )
    authority = models.ForeignKey(
        "organisations.Authority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="所属主管部门",
    )
    display_name = models.CharField("姓名", max_length=50, blank=True)
    phone = EncryptedField("电话", max_length=30, blank=True, purpose="accounts.user.phone", code=True)
    # Personal data like the phone: encrypted at rest, never looked up (decision 0011).
    email = EncryptedField(
        "电子邮箱", max_length=254, blank=True, validators=[EmailValidator()], purpose="accounts.user.email"
    )
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # A password someone else set (a new account, an officer's reset) must be
    # changed by its owner at the next login; the owner's own change clears it.
    must_change_password = models.BooleanField("须修改密码", default=True)
    # The organisation's own administrator of its colleagues' accounts (invite, deactivate,
    # reactivate, read their trail: accounts.manage_staff). Not one of the 三员; decision 0024.
    is_org_admin = models.BooleanField("本单位账号管理员", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    @property
    def colleagues(self):
        """The accounts of this user's organisation (their own included): one institution's staff,
        one authority's reviewers, or the province office's officers; none for anyone else."""
        if self.is_institution_staff:
            return User.objects.filter(role=Role.INSTITUTION_STAFF, institution_id=self.institution_id)
        if self.is_authority_reviewer:
            return User.objects.filter(role=Role.AUTHORITY_REVIEWER, authority_id=self.authority_id)
        if self.is_province_officer:
            return User.objects.filter(role=Role.PROVINCE_OFFICER)
        return User.objects.none()

    def __str__(self):
        return self.display_name or self.username

    def has_perm(self, perm, obj=None):
        """The system's own permissions (each app's rules.py) are answered by their rules
        alone: being a superuser (for /admin/) grants no action the role does not allow.
        Django's model permissions (add_/change_/delete_/view_) go the usual way."""
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    def set_password(self, raw_password):
        if self.pk and self.has_usable_password() and not hasattr(self, "_retired_password"):
            self._retired_password = self.password  # kept by save(): a recent password is not reused
        super().set_password(raw_password)
        self.password_changed_at = clock.wall_now()

    def save(self, *args, **kwargs):
        # The system and security administrators work in the admin site; nobody
        # else gets it through their role (the duty backend gives each its models).
        if self.role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
            self.is_staff = True
        elif self.role == Role.AUDIT_ADMIN:
            self.is_staff = False
        if self.password_changed_at is None and self.password:
            # create_user() sets the hash directly, without set_password().
            self.password_changed_at = clock.wall_now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "password_changed_at"}
        super().save(*args, **kwargs)
        retired = self.__dict__.pop("_retired_password", None)
        if retired:
            PasswordHistory.keep(self, retired)

    def clean(self):
        super().clean()
        if self.role == Role.INSTITUTION_STAFF and not self.institution_id:
            raise ValidationError({"institution": "承办单位经办人必须属于一个承办单位。"})
        if self.role == Role.AUTHORITY_REVIEWER and not self.authority_id:
            raise ValidationError({"authority": "主管部门审核人必须属于一个主管部门。"})

    @property
    def is_institution_staff(self):
        return self.role == Role.INSTITUTION_STAFF and self.institution_id is not None

    @property
    def is_authority_reviewer(self):
        return self.role == Role.AUTHORITY_REVIEWER and self.authority_id is not None

    @property
    def is_province_officer(self):
        return self.role == Role.PROVINCE_OFFICER

    @property
    def is_administrator(self):
        """One of the three administrators (三员分立)."""
        return self.role in ADMIN_ROLES

    @property
    def is_audit_admin(self):
        return self.role == Role.AUDIT_ADMIN

    @property
    def needs_second_factor(self):
        return self.role in DECIDING_ROLES or self.is_superuser

    @property
    def name_with_organisation(self):
        """ "福州市人社局 张三", but never "省人社厅职业能力建设处 省人社厅职业能力建设处 经办人" nor
        "福建省农业农村厅人事处 省农业农村厅人事处 审核员": a name that already holds the
        organisation, in full or without the province's "福建", is left as it is."""
        who, organisation = str(self), self.organisation_name
        if not organisation or any(form in who for form in _short_forms(organisation)):
            return who
        return f"{organisation} {who}"

    @property
    def signed_in_as(self):
        """The header's "福州市人社局 张三（主管部门审核人）"; the role only if the name does not say it."""
        who, role = self.name_with_organisation, self.get_role_display()
        return who if role in who else f"{who}（{role}）"

    @property
    def organisation_name(self):
        if self.institution_id:
            return self.institution.name
        if self.authority_id:
            return self.authority.name
        if self.is_province_officer:
            return "省人社厅职业能力建设处"
        if self.role == Role.EXPERT:
            return "评审专家"
        if self.role in ADMIN_ROLES:
            return "系统运维"
        return ""


class PasswordHistory(models.Model):
    """The hashes of an account's last passwords (never the passwords): a new password may be
    none of them nor the current one (passwords.NotRecentPasswordValidator, decision 0019)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    retired_at = models.DateTimeField()

    class Meta:
        ordering = ["-retired_at", "-id"]
        verbose_name = verbose_name_plural = "历史密码"

    def __str__(self):
        return f"{self.user} {self.retired_at:%Y-%m-%d}"

    @classmethod
    def keep(cls, user, password_hash):
        cls.objects.create(user=user, password=password_hash, retired_at=clock.wall_now())
        kept = cls.objects.filter(user=user).values_list("pk", flat=True)[: settings.YANXIU_PASSWORD_HISTORY]
        cls.objects.filter(user=user).exclude(pk__in=list(kept)).delete()


class Invitation(models.Model):
    """A single-use, time-limited link that lets an invited account set its password.

    Only the token's SHA-256 is stored; the link itself is in the e-mail alone. Sending a new
    invitation revokes the previous one (`revoked_at`); accepting marks it used (decision 0024)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations", verbose_name="账号")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="邀请人")
    created_at = models.DateTimeField("发出时间")
    expires_at = models.DateTimeField("有效期至")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "账号邀请"

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d}"

    def is_pending(self, now):
        return self.used_at is None and self.revoked_at is None and self.expires_at > now


class CodePurpose(models.TextChoices):
    REGISTER_MOBILE = "register_mobile", "注册：验证手机"
    REGISTER_EMAIL = "register_email", "注册：验证邮箱"
    PASSWORD_RESET = "password_reset", "找回密码"


class VerificationCode(models.Model):
    """One code sent to a mobile or an e-mail address (accounts.domain.codes): only its hash and
    the target's keyed hash are kept; it expires, allows a few attempts, and is used once."""

    purpose = models.CharField("用途", max_length=30, choices=CodePurpose.choices)
    target_hash = models.CharField("接收方（散列）", max_length=64, db_index=True)
    code_hash = models.CharField("验证码（散列）", max_length=128)
    created_at = models.DateTimeField("发送时间")
    expires_at = models.DateTimeField("失效时间")
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    client_ip = models.CharField("请求地址", max_length=45, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "验证码"

    def __str__(self):
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"
