from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "xiaoneng.workdays"
    label = "workdays"
    verbose_name = _("Working days and time limits")
