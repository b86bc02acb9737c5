"""Editable dictionaries loaded from reference data (see reference/data/)."""

from django.db import models


class ActiveQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class ProfessionalDomain(models.Model):
    """专业技术领域, from the provincial catalogue (闽人社文办〔2023〕222号 附件1)."""

    name = models.CharField("专业技术领域", max_length=100, unique=True)
    provincial_department = models.CharField("省级行业主管部门", max_length=100, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    provisional = models.BooleanField("临时目录", default=False, help_text="尚未以正式目录替换")

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = verbose_name_plural = "专业技术领域"

    def __str__(self):
        return self.name


class CompetentDepartment(models.Model):
    """行业主管部门: a State Council ministry (附件1) or a provincial department (附件2)."""

    class Level(models.TextChoices):
        NATIONAL = "national", "国家部委"
        PROVINCIAL = "provincial", "省直部门"

    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=20, choices=Level.choices)
    kind = models.CharField("类别", max_length=50, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["level", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "level"], name="unique_department_per_level")]
        verbose_name = verbose_name_plural = "行业主管部门"

    def __str__(self):
        return self.name


class TrainingCostStandard(models.Model):
    """综合定额 per person and day by training class; unknown figures stay empty."""

    standard = models.CharField("标准", max_length=200)
    training_class = models.CharField("培训类别", max_length=20, blank=True)
    accommodation = models.DecimalField("住宿费", max_digits=8, decimal_places=2, null=True, blank=True)
    meals = models.DecimalField("伙食费", max_digits=8, decimal_places=2, null=True, blank=True)
    venue_materials_transport = models.DecimalField(
        "场地、资料、交通费", max_digits=8, decimal_places=2, null=True, blank=True
    )
    other = models.DecimalField("其他费用", max_digits=8, decimal_places=2, null=True, blank=True)
    total_per_person_day = models.DecimalField("合计（元/人天）", max_digits=8, decimal_places=2, null=True, blank=True)
    verified = models.BooleanField("已核实", default=False)
    source = models.CharField("来源", max_length=200, blank=True)

    class Meta:
        ordering = ["standard", "training_class"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "training_class"], name="unique_cost_standard_class")
        ]
        verbose_name = verbose_name_plural = "培训费综合定额标准"

    def __str__(self):
        return f"{self.standard} {self.training_class}".strip()


class LectureFeeStandard(models.Model):
    """讲课费 cap per class hour by the lecturer's title."""

    standard = models.CharField("标准", max_length=200)
    title_level = models.CharField("职称", max_length=50)
    max_fee_per_class_hour = models.DecimalField("每学时上限（元）", max_digits=8, decimal_places=2)
    verified = models.BooleanField("已核实", default=False)

    class Meta:
        ordering = ["standard", "max_fee_per_class_hour"]
        constraints = [models.UniqueConstraint(fields=["standard", "title_level"], name="unique_lecture_fee_title")]
        verbose_name = verbose_name_plural = "讲课费标准"

    def __str__(self):
        return f"{self.title_level} {self.max_fee_per_class_hour}元/学时"


class CalendarDay(models.Model):
    """The office's own entry for one day of the working-day calendar (法定节假日与调休).

    The calendar is the `chinese-calendar` package's data (the State Council's yearly notice) with
    these rows over it: a year the package does not know yet, or a local adjustment, is entered here
    (`/admin/` or `import_reference calendar PATH`). See `domain/workdays.py`."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("工作日", help_text="勾选：上班（如调休的周末）；不勾选：放假（如法定节假日）")
    name = models.CharField("说明", max_length=50, blank=True, help_text="如：2027年春节、国庆节调休上班")

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "节假日与调休"

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_workday else '放假'} {self.name}".strip()
