from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "xiaoneng.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from xiaoneng.notify.models import Notification
        from xiaoneng.ops import celery_app  # noqa: F401  (makes it the current Celery app)
        from xiaoneng.ops.tasks import on_notification_saved

        post_save.connect(on_notification_saved, sender=Notification, dispatch_uid="ops.relay_kick")
        _api_answers_503_when_the_database_is_down()


def _api_answers_503_when_the_database_is_down() -> None:
    """The API catches every exception itself (a JSON 500); a database outage is a 503."""
    from django.db import InterfaceError, OperationalError

    from xiaoneng.api.api import api
    from xiaoneng.ops.middleware import database_unavailable

    for exc_class in (OperationalError, InterfaceError):
        api.add_exception_handler(exc_class, lambda request, exc: database_unavailable(request))
