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
        from django.db.models.signals import post_delete, post_save

        from xiaoneng.api.models import ApiClient, ApiKey

        # Keys are cached per process (api/services.py, apikey_authenticate): any change to a
        # key or a client bumps the configuration token.
        for model in (ApiKey, ApiClient):
            uid = f"xiaoneng.config.{model._meta.label_lower}"
            post_save.connect(_config_touch, sender=model, dispatch_uid=f"{uid}.save")
            post_delete.connect(_config_touch, sender=model, dispatch_uid=f"{uid}.delete")


def _config_touch(sender: Any, **kwargs: Any) -> None:
    from xiaoneng.workdays.calendar import config_touch

    config_touch()


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
