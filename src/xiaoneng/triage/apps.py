from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xiaoneng import periodic


class TriageConfig(AppConfig):
    name = "xiaoneng.triage"
    label = "triage"
    verbose_name = _("Triage")

    def ready(self) -> None:
        # Imported here: the handlers and jobs import models, which are not ready before this.
        from xiaoneng.triage import case_facts
        from xiaoneng.triage.services import repeats_sweep, routing_models_retrain

        case_facts.register()
        _touch_config_on_new_models()
        _show_on_case_pages()
        periodic.register("triage.retrain", lambda: routing_models_retrain())
        periodic.register("triage.repeats", lambda: repeats_sweep())


def _touch_config_on_new_models() -> None:
    """Which routing model a unit uses is cached per process under the configuration token
    (``triage.selectors.router_for``): a model trained or deleted bumps it."""
    from django.db.models.signals import post_delete, post_save

    from xiaoneng.triage.models import RoutingModel

    def touch(sender: Any, **kwargs: Any) -> None:
        from xiaoneng.workdays.calendar import config_touch

        config_touch()

    uid = "xiaoneng.config.triage.routingmodel"
    post_save.connect(touch, sender=RoutingModel, dispatch_uid=f"{uid}.save", weak=False)
    post_delete.connect(touch, sender=RoutingModel, dispatch_uid=f"{uid}.delete", weak=False)


def _show_on_case_pages() -> None:
    """The suggestion and similar cases on the case page (loaded by htmx), in the intake pool's
    rows, and as the intake form's duplicate hint; the suggestion pre-selects dispatch."""
    from xiaoneng.cases.views import sections
    from xiaoneng.triage.selectors import similar_to_request, suggested_department_id

    sections.case_section_register(
        name="triage", template="triage/_case_slot.html", context=lambda **kwargs: {}
    )
    sections.pool_extra_register(name="triage", template="triage/_pool_loader.html")
    sections.duplicate_finder_register(
        name="triage",
        find=lambda *, text, phone: similar_to_request(text=text, unit=None, phone=phone),
        template="triage/_intake_duplicates.html",
    )
    sections.lead_suggester_register(name="triage", suggest=suggested_department_id)
