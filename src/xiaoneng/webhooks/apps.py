"""Signed outbound webhooks for case events."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng import periodic


class WebhooksConfig(AppConfig):
    name = "xiaoneng.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from xiaoneng.webhooks.delivery import webhooks_run

        # Every minute in `xiaoneng serve`; from Celery beat in production. Safe to run twice at
        # once: the cursor row is locked, deliveries are unique per event and endpoint, and rows
        # are claimed with SELECT … FOR UPDATE SKIP LOCKED.
        periodic.register("webhooks.deliver", lambda: webhooks_run())
