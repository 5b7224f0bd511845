from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng import periodic


class CasesConfig(AppConfig):
    name = "xiaoneng.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from xiaoneng.cases import config_cache
        from xiaoneng.cases.sweeps import sweep

        config_cache.connect()

        periodic.register("cases.sweep", lambda: sweep().summary())
