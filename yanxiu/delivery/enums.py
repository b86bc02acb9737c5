from django.db import models

from yanxiu.applications.enums import HalfDay


class ProgrammeState(models.TextChoices):
    PREPARING = "preparing", "实施中"
    CLOSING_SUBMITTED = "closing_submitted", "结业材料已提交"
    COMPLETED = "completed", "已按计划完成"
    NOT_COMPLETED = "not_completed", "未按计划完成"


class ChangeState(models.TextChoices):
    PENDING = "pending", "待省人社厅审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "不予批准"


class EnrolmentState(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已录取"
    REJECTED = "rejected", "未录取"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Sector(models.TextChoices):
    PUBLIC = "public", "公有制单位"
    NON_PUBLIC = "non_public", "非公有制单位"


# Attendance is taken each morning and afternoon (the schedule's evenings have no sign-in).
ATTENDANCE_HALF_DAYS = (HalfDay.MORNING, HalfDay.AFTERNOON)
ATTENDANCE_HALF_DAY_CHOICES = [(half.value, half.label) for half in ATTENDANCE_HALF_DAYS]


class AccountsKind(models.TextChoices):
    BUDGET = "budget", "经费预算"
    FINAL = "final", "经费决算"


class FileKind(models.TextChoices):
    CLOSURE_REPORT = "closure_report", "总结报告"
    PHOTO = "photo", "办班照片"
    ACCOUNTS_SCAN = "accounts_scan", "经费决算表（盖章扫描件）"
    ENROLMENT_NOTICE = "enrolment_notice", "招生通知"


# GB/T 2260 province-level codes (first two digits of an ID number) and names.
PROVINCES = [
    ("11", "北京市"),
    ("12", "天津市"),
    ("13", "河北省"),
    ("14", "山西省"),
    ("15", "内蒙古自治区"),
    ("21", "辽宁省"),
    ("22", "吉林省"),
    ("23", "黑龙江省"),
    ("31", "上海市"),
    ("32", "江苏省"),
    ("33", "浙江省"),
    ("34", "安徽省"),
    ("35", "福建省"),
    ("36", "江西省"),
    ("37", "山东省"),
    ("41", "河南省"),
    ("42", "湖北省"),
    ("43", "湖南省"),
    ("44", "广东省"),
    ("45", "广西壮族自治区"),
    ("46", "海南省"),
    ("50", "重庆市"),
    ("51", "四川省"),
    ("52", "贵州省"),
    ("53", "云南省"),
    ("54", "西藏自治区"),
    ("61", "陕西省"),
    ("62", "甘肃省"),
    ("63", "青海省"),
    ("64", "宁夏回族自治区"),
    ("65", "新疆维吾尔自治区"),
    ("71", "台湾地区"),
    ("81", "香港特别行政区"),
    ("82", "澳门特别行政区"),
]
FUJIAN = "35"
PROVINCE_NAMES = dict(PROVINCES)
