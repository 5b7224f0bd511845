from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng import periodic


class AuditConfig(AppConfig):
    name = "xiaoneng.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from xiaoneng.audit import checks  # noqa: F401  (registers the system checks)
        from xiaoneng.audit.checkpoints import audit_checkpoint_due

        # Every minute in `xiaoneng serve`, from Celery beat in production; it signs only when
        # the newest checkpoint is older than XIAONENG_AUDIT_CHECKPOINT_INTERVAL (an hour). Two
        # runs at once at worst write two valid lines.
        periodic.register("audit.checkpoint", lambda: audit_checkpoint_due())
        # Entries queued while the chain head was busy are sealed right after their commit;
        # this catches any left by a process that stopped in between.
        from xiaoneng.audit.services import audit_integrate

        periodic.register("audit.integrate", lambda: audit_integrate())
