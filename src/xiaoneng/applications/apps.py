from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "xiaoneng.applications"
    label = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        # Imported when the app registry is ready: the builders read the application models.
        from xiaoneng.applications.documents import application_receipt
        from xiaoneng.cases.documents import on_receipt

        on_receipt(application_receipt)
