from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng import periodic


class SupervisionConfig(AppConfig):
    name = "xiaoneng.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from xiaoneng.supervision.sweeps import supervision_sweep

        periodic.register("supervision.sweep", lambda: supervision_sweep().summary())
