from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng import periodic


class TargetsConfig(AppConfig):
    name = "xiaoneng.targets"
    label = "targets"
    verbose_name = _("Targets")

    def ready(self) -> None:
        from xiaoneng.targets.sweeps import targets_sweep

        periodic.register("targets.sweep", lambda: targets_sweep().summary())
