"""Metrics, rollups, dashboards, hotspots and bulletins."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng import periodic


class AssessmentConfig(AppConfig):
    name = "xiaoneng.assessment"
    label = "assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        from xiaoneng.assessment.hotspots import hotspots_detect
        from xiaoneng.assessment.rollups import rollups_apply_all
        from xiaoneng.assessment.scheduled import scheduled_reports_draft

        periodic.register("assessment.rollups", rollups_apply_all)
        periodic.register("assessment.hotspots", lambda: len(hotspots_detect()))
        periodic.register("assessment.scheduled_reports", lambda: len(scheduled_reports_draft()))
