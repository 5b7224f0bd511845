from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng import periodic


class EmergenciesConfig(AppConfig):
    name = "xiaoneng.emergencies"
    label = "emergencies"
    verbose_name = _("Emergencies")

    def ready(self) -> None:
        from xiaoneng.emergencies.sweeps import emergencies_sweep
        from xiaoneng.emergencies.sweeps_rosters import roster_gaps_sweep

        periodic.register("emergencies.sweep", lambda: emergencies_sweep().summary())
        periodic.register("emergencies.roster_gaps", lambda: f"warned={roster_gaps_sweep()}")
