from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "xiaoneng.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from xiaoneng.security import checks, receivers  # noqa: F401  (registers checks, receivers)
