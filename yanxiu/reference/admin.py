from django.contrib import admin

from .models import CalendarDay, CompetentDepartment, LectureFeeStandard, ProfessionalDomain, TrainingCostStandard


@admin.register(ProfessionalDomain)
class ProfessionalDomainAdmin(admin.ModelAdmin):
    list_display = ["name", "provincial_department", "sort_order", "is_active", "provisional"]
    list_filter = ["is_active", "provisional"]
    search_fields = ["name"]


@admin.register(CompetentDepartment)
class CompetentDepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "kind", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name"]


@admin.register(TrainingCostStandard)
class TrainingCostStandardAdmin(admin.ModelAdmin):
    list_display = ["standard", "training_class", "total_per_person_day", "verified"]


@admin.register(LectureFeeStandard)
class LectureFeeStandardAdmin(admin.ModelAdmin):
    list_display = ["standard", "title_level", "max_fee_per_class_hour", "verified"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
