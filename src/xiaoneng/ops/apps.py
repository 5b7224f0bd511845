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

        # After a transaction that wrote outbox rows commits, the notify services ask for one
        # relay task (with a broker; the embedded server's periodic job relays without one).
        relay_prompt_register(wanted=broker_configured, send=lambda: send_task_safely(relay_outbox))
        _api_answers_503_when_the_database_is_down()


def _api_answers_503_when_the_database_is_down() -> None:
    """The API catches every exception itself (a JSON 500); a database outage is a 503."""
    from django.db import InterfaceError, OperationalError

    from xiaoneng.api.api import api
    from xiaoneng.ops.middleware import database_unavailable

    for exc_class in (OperationalError, InterfaceError):
        api.add_exception_handler(exc_class, lambda request, exc: database_unavailable(request))
