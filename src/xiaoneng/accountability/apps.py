from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "xiaoneng.accountability"
    label = "accountability"
    verbose_name = _("Accountability")

    def ready(self) -> None:
        # Imported here: the handlers import models, which are not ready before this.
        from xiaoneng.accountability import case_facts

        case_facts.register()
