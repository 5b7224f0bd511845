"""Open311 GeoReport v2: the data behind the endpoints and its JSON / XML rendering.

Services are the case categories. A service request is a case that the public may see: one
posted through Open311, or one whose requester consented to publication (never an anonymous
report). Requester data never appears; the free text (description, and the reply as
status_notes) only with the requester's consent, with personal data masked.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from xml.etree import ElementTree as ET

from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from xiaoneng.cases import clocks
from xiaoneng.cases.models import Case, Category, Channel, Kind
from xiaoneng.cases.selectors import published_reply
from xiaoneng.cases.states import FINAL_STATES
from xiaoneng.org.models import Unit
from xiaoneng.privacy import case_names, redact
from xiaoneng.workdays.models import Clock

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
DEFAULT_DAYS = 90
MAX_ROWS = 1000
# Date filters outside these years name no case and would overflow the date arithmetic.
MIN_YEAR, MAX_YEAR = 1900, 9000
GROUP = "教育"
OPEN311_KINDS = [Kind.COMPLAINT, Kind.INQUIRY, Kind.SUGGESTION, Kind.HELP]

# XML: the element each list item gets, by the list's element name.
_ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# -- rendering ----------------------------------------------------------------------------------


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 with the time zone offset, in the office's time zone (+08:00)."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def _xml_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _to_xml(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _to_xml(element, key, item)
    elif isinstance(value, list):
        for item in value:
            _to_xml(element, _ITEM_NAMES.get(name, "item"), item)
    else:
        element.text = _xml_value(value)


def render(data: Any, fmt: str, *, root: str, status: int = 200) -> HttpResponse:
    """``data`` as JSON, or as XML under ``root`` (lists become repeated child elements)."""
    if fmt == "xml":
        tree = ET.Element(root)
        if isinstance(data, list):
            for item in data:
                _to_xml(tree, _ITEM_NAMES.get(root, "item"), item)
        else:
            for key, value in data.items():
                _to_xml(tree, key, value)
        body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(tree, encoding="utf-8")
        return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    return HttpResponse(
        json.dumps(data, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )


def render_error(error: Open311Error, fmt: str) -> HttpResponse:
    data = [{"code": error.status, "description": error.description}]
    return render(data, fmt, root="errors", status=error.status)


# -- services -----------------------------------------------------------------------------------


def services() -> list[dict[str, Any]]:
    return [
        {
            "service_code": category.code,
            "service_name": category.name,
            "description": category.name,
            "metadata": True,
            "type": "realtime",
            "keywords": category.name,
            "group": GROUP,
        }
        for category in Category.objects.filter(is_active=True)
    ]


def service_category(code: str) -> Category:
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise Open311Error(404, _("No service has this service_code."))
    return category


def service_definition(category: Category) -> dict[str, Any]:
    units = Unit.objects.filter(is_active=True)
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": "kind",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("The kind of request; a complaint if not given."),
                "order": 1,
                "description": _("Kind of request"),
                "values": [{"key": k.value, "name": str(k.label)} for k in OPEN311_KINDS],
            },
            {
                "variable": True,
                "code": "unit",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("The school or office concerned, by its code."),
                "order": 2,
                "description": _("School or office concerned"),
                "values": [{"key": u.code, "name": u.name} for u in units],
            },
            {
                "variable": True,
                "code": "consent_publish",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _(
                    "Whether the result may be published without personal data."
                ),
                "order": 3,
                "description": _("Consent to publication of the result"),
                "values": [{"key": "true", "name": _("Yes")}, {"key": "false", "name": _("No")}],
            },
            {
                "variable": True,
                "code": "urgent",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _(
                    "Whether someone's safety or health is at risk now (answered within hours)."
                ),
                "order": 4,
                "description": _("Urgent"),
                "values": [{"key": "true", "name": _("Yes")}, {"key": "false", "name": _("No")}],
            },
        ],
    }


# -- service requests ---------------------------------------------------------------------------


def visible_requests() -> QuerySet[Case]:
    """Cases the public may see through Open311 (none anonymous)."""
    return Case.objects.filter(
        Q(channel=Channel.OPEN311) | Q(consent_publish=True), is_anonymous=False
    )


def _moment(value: str, name: str) -> datetime:
    """The moment a date parameter names; a 400 for anything that is not a real date (month
    13, 30 February, hour 25) or lies outside the years a case can carry."""
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is not None:
                moment = datetime(day.year, day.month, day.day)
    except ValueError:  # well formed, but no such date or time
        moment = None
    if moment is None:
        raise Open311Error(400, _("%(name)s is not an ISO 8601 date.") % {"name": name})
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise Open311Error(
            400,
            _("%(name)s must lie between the years %(min)d and %(max)d.")
            % {"name": name, "min": MIN_YEAR, "max": MAX_YEAR},
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def find_requests(params: Any) -> list[Case]:
    """GET requests: the spec's filters; service_request_id overrides all the others."""
    cases = visible_requests()
    ids = [part.strip() for part in params.get("service_request_id", "").split(",") if part.strip()]
    if ids:
        return list(_with_relations(cases.filter(number__in=ids[:MAX_ROWS])))
    codes = [part.strip() for part in params.get("service_code", "").split(",") if part.strip()]
    if codes:
        cases = cases.filter(category__code__in=codes)
    end = _moment(params["end_date"], "end_date") if params.get("end_date") else timezone.now()
    if params.get("start_date"):
        start = _moment(params["start_date"], "start_date")
    else:
        start = end - timedelta(days=DEFAULT_DAYS)
    if start > end:
        raise Open311Error(400, _("start_date is after end_date."))
    cases = cases.filter(registered_at__gte=start, registered_at__lte=end)
    statuses = {part.strip() for part in params.get("status", "").split(",") if part.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, _("status must be open or closed."))
    if statuses == {"open"}:
        cases = cases.exclude(state__in=FINAL_STATES)
    elif statuses == {"closed"}:
        cases = cases.filter(state__in=FINAL_STATES)
    return list(_with_relations(cases.order_by("-registered_at", "-id"))[:MAX_ROWS])


def _with_relations(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("category", "lead_department__unit", "unit_concerned")


def find_request(number: str) -> Case:
    case = _with_relations(visible_requests()).filter(number=number).first()
    if case is None:
        raise Open311Error(404, _("No service request has this id."))
    return case


def _due_moments(cases: list[Case]) -> dict[int, datetime]:
    """The due moment of each case's latest reply clock, in one query."""
    rows = (
        Clock.objects.filter(
            owner_type=clocks.CASE_OWNER,
            owner_id__in=[case.pk for case in cases],
            stage=clocks.REPLY,
        )
        .order_by("owner_id", "id")
        .values_list("owner_id", "due_at")
    )
    return dict(rows)  # later clocks overwrite earlier ones


def request_rows(cases: list[Case]) -> list[dict[str, Any]]:
    due = _due_moments(cases)
    rows = []
    for case in cases:
        closed = case.state in FINAL_STATES
        department = case.lead_department
        agency = f"{department.unit.name} {department.name}" if department else ""
        show_text = case.consent_publish  # free text only with the requester's consent
        names = case_names(case)
        notes = published_reply(case) if closed and show_text else ""
        rows.append(
            {
                "service_request_id": case.number,
                "status": "closed" if closed else "open",
                "status_notes": notes,
                "service_name": case.category.name,
                "service_code": case.category.code,
                "description": redact(case.content, names) if show_text else "",
                "agency_responsible": agency,
                "service_notice": "",
                "requested_datetime": iso(case.registered_at),
                "updated_datetime": iso(case.updated_at),
                "expected_datetime": iso(due.get(case.pk)),
                "address": case.unit_concerned.address if case.unit_concerned else "",
                "address_id": "",
                "zipcode": "",
                "lat": None,
                "long": None,
                "media_url": "",
            }
        )
    return rows


def token_rows(token: str) -> list[dict[str, Any]]:
    case = (
        Case.objects.filter(tracking_code=token.strip().upper(), channel=Channel.OPEN311)
        .only("number", "tracking_code")
        .first()
    )
    if case is None:
        raise Open311Error(404, _("No service request has this token."))
    return [{"service_request_id": case.number, "token": case.tracking_code}]
