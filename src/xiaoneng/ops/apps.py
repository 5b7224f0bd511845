from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "xiaoneng.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from xiaoneng.notify.relay import relay_prompt_register
        from xiaoneng.ops.celery_app import broker_configured  # also makes it the current app
        from xiaoneng.ops.tasks import relay_outbox, send_task_safely
        from xiaoneng.triage.case_facts import worker_reading_register
        from xiaoneng.triage.tasks import read_arrived_task

        # After a transaction that wrote outbox rows commits, the notify services ask for one
        # relay task (with a broker; the embedded server's periodic job relays without one).
        relay_prompt_register(wanted=broker_configured, send=lambda: send_task_safely(relay_outbox))
        # Triage's reading of cases nobody registered in person goes to a worker likewise
        # (triage/case_facts.py); the request reads them itself when the task cannot be queued.
        worker_reading_register(
            wanted=broker_configured, send=lambda ids: send_task_safely(read_arrived_task, ids)
        )
