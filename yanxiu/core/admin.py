from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult


class ReadOnlyAdmin:
    """For objects that change only through their workflow (and its audit trail), never in the admin."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- django-tasks-db's task results, with Chinese column names ---------------------------


class TaskResultAdmin(DBTaskResultAdmin):
    list_display = ("id", "task", "status", "enqueued_at", "started_at", "finished_at", "priority", "queue_name")

    @admin.display(description="任务")
    def task(self, obj):
        return obj.task_name

    @admin.display(description="错误详情")
    def formatted_traceback(self, obj):
        return super().formatted_traceback(obj)

    @admin.display(description="最早执行时间")
    def display_run_after(self, obj):
        return super().display_run_after(obj)


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)


# --- django-otp's devices (the security administrator's pages), in Chinese -------------------
# Field names are set in core/third_party_apps.py; here the package's fixed English texts:
# fieldset titles, help texts (plain strings, not translatable) and the search hint.

FIELDSET_TITLES = {
    "Identity": "设备",
    "Timestamps": "时间",
    "Configuration": "参数",
    "State": "状态",
    "Throttling": "防暴力破解",
}
DEVICE_HELP = {
    "user": "使用该设备的用户。",
    "name": "便于识别的设备名称。",
    "confirmed": "设备是否已可用于登录验证。",
    "key": "十六进制编码的密钥（最多40字节）。",
    "step": "每个口令的有效时间（秒）。",
    "t0": "开始计算时间步的 Unix 时间。",
    "digits": "口令的位数。",
    "tolerance": "允许前后偏差的时间步数。",
    "drift": "设备时钟与服务器的偏差（时间步）。",
}


class ChineseDeviceAdmin:
    search_help_text = "按用户名搜索"

    def get_fieldsets(self, request, obj=None):
        return [(FIELDSET_TITLES.get(title, title), options) for title, options in super().get_fieldsets(request, obj)]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        for name, text in DEVICE_HELP.items():
            if name in form.base_fields:
                form.base_fields[name].help_text = text
        return form


class TotpAdmin(ChineseDeviceAdmin, TOTPDeviceAdmin):
    @admin.display(description="二维码")
    def qrcode_link(self, device):
        return format_html('<a href="{}">查看</a>', reverse("admin:otp_totp_totpdevice_config", args=[device.pk]))


class StaticAdmin(ChineseDeviceAdmin, StaticDeviceAdmin):
    pass


for model, model_admin in ((TOTPDevice, TotpAdmin), (StaticDevice, StaticAdmin)):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
