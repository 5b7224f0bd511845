from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "xiaoneng.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from xiaoneng.org import checks  # noqa: F401  (registers the system checks)
        from xiaoneng.org.roles import sync_role_groups

        # Role groups follow the code. Synced after every app so all permissions exist.
        post_migrate.connect(sync_role_groups, dispatch_uid="xiaoneng.org.sync_role_groups")
