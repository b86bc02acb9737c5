from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yanxiu.core"
    verbose_name = "基础"

    def ready(self):
        from . import crypto  # noqa: PLC0415 (models may be imported only once the registry is ready)

        # A malformed key, or the development key in production, stops the start.
        crypto.check_production_key()
