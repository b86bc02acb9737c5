from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "yanxiu.applications"
    verbose_name = "项目申报"

    def ready(self):
        from . import signals  # noqa: F401, PLC0415 - connects the authority-code receivers once the apps are loaded
        from .domain import (  # noqa: PLC0415 - registrations with lower apps, once the apps are loaded
            call_dates,  # noqa: F401 - who a moved call date touches (calls)
            staff_trail,  # noqa: F401 - its applications in an organisation's trail (accounts)
        )
