from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng import periodic


class CampaignsConfig(AppConfig):
    name = "xiaoneng.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        from xiaoneng.campaigns.reminders import campaigns_remind

        periodic.register("campaigns.remind", lambda: campaigns_remind().summary())
