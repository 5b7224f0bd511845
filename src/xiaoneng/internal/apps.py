from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng import periodic


class InternalConfig(AppConfig):
    name = "xiaoneng.internal"
    label = "internal"
    verbose_name = _("Internal matters")

    def ready(self) -> None:
        # Imported here: the sweep and the workbench section read models.
        from xiaoneng.internal.sweeps import internal_sweep
        from xiaoneng.internal.workbench import register

        periodic.register("internal.sweep", lambda: internal_sweep().summary())
        register()
