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


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = "后台任务"


class AxesConfig(AxesAppConfig):
    verbose_name = "登录安全（失败登录与锁定）"


class TotpDevicesConfig(TotpConfig):
    verbose_name = "双因素认证（动态口令）"

    def ready(self):
        super().ready()
        _name_models(self, {"TOTPDevice": ("动态口令设备", "动态口令设备")})


class StaticDevicesConfig(StaticConfig):
    verbose_name = "双因素认证（备用码）"

    def ready(self):
        super().ready()
        _name_models(self, {"StaticDevice": ("备用码设备", "备用码设备"), "StaticToken": ("备用码", "备用码")})
