from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng import periodic


class EmergenciesConfig(AppConfig):
    name = "xiaoneng.emergencies"
    label = "emergencies"
    verbose_name = _("Emergencies")

    def ready(self) -> None:
        from xiaoneng.cases.facts import URGENT_REQUEST, on_case_fact
        from xiaoneng.cases.views.sections import case_section_register
        from xiaoneng.emergencies.casepage import case_emergency_context
        from xiaoneng.emergencies.services.case_alerts import on_urgent_request
        from xiaoneng.emergencies.sweeps import emergencies_sweep
        from xiaoneng.emergencies.sweeps_rosters import roster_gaps_sweep

        on_case_fact(URGENT_REQUEST, on_urgent_request)
        case_section_register(
            name="emergency",
            template="emergencies/_case_panel.html",
            context=case_emergency_context,
        )

        periodic.register("emergencies.sweep", lambda: emergencies_sweep().summary())
        periodic.register("emergencies.roster_gaps", lambda: f"warned={roster_gaps_sweep()}")
