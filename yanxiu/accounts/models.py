from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from yanxiu.core.crypto import EncryptedField


class Role(models.TextChoices):
    INSTITUTION_STAFF = "institution_staff", "承办单位经办人"
    AUTHORITY_REVIEWER = "authority_reviewer", "主管部门审核人"
    PROVINCE_OFFICER = "province_officer", "省人社厅经办人"
    EXPERT = "expert", "评审专家"


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
    phone = EncryptedField("电话", max_length=30, blank=True, purpose="accounts.user.phone")

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def __str__(self):
        return self.display_name or self.username

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
    def organisation_name(self):
        if self.institution_id:
            return self.institution.name
        if self.authority_id:
            return self.authority.name
        if self.is_province_officer:
            return "省人社厅职业能力建设处"
        if self.role == Role.EXPERT:
            return "评审专家"
        return ""
