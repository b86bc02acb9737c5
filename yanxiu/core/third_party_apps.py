"""Third-party apps under Chinese names in the admin (INSTALLED_APPS names these configs).

Labels, and so tables and migrations, are unchanged. Model names are set on `_meta` only
(migrations read `original_attrs`, so `makemigrations` sees no change); texts the apps
translate through gettext are in `locale/zh_Hans` instead.
"""

from axes.apps import AppConfig as AxesAppConfig
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpConfig
from django_tasks_db.apps import TasksAppConfig


def _name_models(config, names):
    for model_name, (singular, plural) in names.items():
        meta = config.get_model(model_name)._meta
        meta.verbose_name, meta.verbose_name_plural = singular, plural


def _name_fields(config, model_name, names):
    """Chinese column and field names. A field deconstructs from `_verbose_name` (its constructor's
    argument), so setting `verbose_name` changes what the admin shows and no migration."""
    for field_name, label in names.items():
        config.get_model(model_name)._meta.get_field(field_name).verbose_name = label


DEVICE_FIELDS = {
    "user": "用户",
    "name": "设备名称",
    "confirmed": "已启用",
    "created_at": "创建时间",
    "last_used_at": "最近使用时间",
    "throttling_failure_timestamp": "最近一次验证失败时间",
    "throttling_failure_count": "连续验证失败次数",
}


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = "后台任务"


class AxesConfig(AxesAppConfig):
    verbose_name = "登录安全（失败登录与锁定）"


class TotpDevicesConfig(TotpConfig):
    verbose_name = "双因素认证（动态口令）"

    def ready(self):
        super().ready()
        _name_models(self, {"TOTPDevice": ("动态口令设备", "动态口令设备")})
        _name_fields(
            self,
            "TOTPDevice",
            {
                **DEVICE_FIELDS,
                "key": "密钥",
                "step": "时间步长（秒）",
                "t0": "起始时间",
                "digits": "口令位数",
                "tolerance": "允许误差（步）",
                "drift": "时钟偏移（步）",
                "last_t": "最近验证的时间步",
            },
        )


class StaticDevicesConfig(StaticConfig):
    verbose_name = "双因素认证（备用码）"

    def ready(self):
        super().ready()
        _name_models(self, {"StaticDevice": ("备用码设备", "备用码设备"), "StaticToken": ("备用码", "备用码")})
        _name_fields(self, "StaticDevice", DEVICE_FIELDS)
        _name_fields(self, "StaticToken", {"device": "设备", "token": "备用码"})
