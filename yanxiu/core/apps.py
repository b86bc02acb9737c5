from django.apps import AppConfig

ADMIN_TITLE = "研修申报 系统管理"


class CoreConfig(AppConfig):
    name = "yanxiu.core"
    verbose_name = "基础"

    def ready(self):
        from . import crypto  # noqa: PLC0415 (models may be imported only once the registry is ready)

        # A malformed key, or the development key in production, stops the start.
        crypto.check_production_key()

        from django.contrib import admin  # noqa: PLC0415

        admin.site.site_header = admin.site.site_title = ADMIN_TITLE
        admin.site.index_title = "管理首页"
