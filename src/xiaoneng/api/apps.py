from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "xiaoneng.api"
    label = "api"
    verbose_name = _("Interface")

    def ready(self) -> None:
        checks.register(check_ninja_installed, checks.Tags.compatibility)


def check_ninja_installed(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Without "ninja" in INSTALLED_APPS django-ninja renders its docs page from a CDN."""
    from django.conf import settings

    if "ninja" in settings.INSTALLED_APPS:
        return []
    return [
        checks.Error(
            "The API needs 'ninja' in INSTALLED_APPS so that its documentation page uses the "
            "packaged Swagger UI files instead of loading them from a CDN.",
            id="xiaoneng.E101",
        )
    ]
