from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng import periodic


class TriageConfig(AppConfig):
    name = "xiaoneng.triage"
    label = "triage"
    verbose_name = _("Triage")

    def ready(self) -> None:
        # Imported here: the handlers and jobs import models, which are not ready before this.
        from xiaoneng.triage import case_facts
        from xiaoneng.triage.services import repeats_sweep, routing_models_retrain

        case_facts.register()
        periodic.register("triage.retrain", lambda: routing_models_retrain())
        periodic.register("triage.repeats", lambda: repeats_sweep())
