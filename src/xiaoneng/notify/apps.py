from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng import periodic


class NotifyConfig(AppConfig):
    name = "xiaoneng.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from xiaoneng.notify.receipts import sms_receipts_fetch
        from xiaoneng.notify.relay import outbox_relay_until_caught_up

        # Every minute in `xiaoneng serve`; from Celery beat in production. Safe to run twice at
        # once: rows are claimed with SELECT … FOR UPDATE SKIP LOCKED. Each run drains the due
        # messages (for at most 40 s), not just one round of 200.
        periodic.register("notify.relay", lambda: outbox_relay_until_caught_up())
        # Delivery receipts of the texts a real SMS provider accepted (nothing to do otherwise).
        periodic.register("notify.sms_receipts", lambda: sms_receipts_fetch())
