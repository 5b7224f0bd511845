from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "xiaoneng.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        # Here, not at the top: models load after the apps. The application documents (and
        # this registration) belong to the applications app, which owns Application.
        from xiaoneng.cases.documents import on_receipt
        from xiaoneng.documents.builders import application_receipt

        on_receipt(application_receipt)
