from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "yanxiu.delivery"
    verbose_name = "项目实施与结业"

    def ready(self):
        from yanxiu.applications.models import Application  # noqa: PLC0415 - models load after the app registry
        from yanxiu.workflow import state_changed  # noqa: PLC0415 - idem

        from .domain.programmes import on_application_state_changed  # noqa: PLC0415 - idem

        state_changed.connect(on_application_state_changed, sender=Application, dispatch_uid="delivery.programmes")
