from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "yanxiu.organisations"
    verbose_name = "单位与主管部门"

    def ready(self):
        # Registers the authorities with the reference dictionaries (import_reference, load_defaults).
        from . import importers  # noqa: F401, PLC0415  (models are only importable once the registry is ready)
