"""The case list: filters, text search, keyset pagination and the Excel export.

No COUNT(*) over the table: pages are fetched by a keyset on (registered_at, id) or
(updated_at, id), one row more than shown tells whether a next page exists. The first page at
a million cases reads one index range.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.assessment.records import (
    KINDS_COMPLAINTS,
    counted_choices,
    counted_filter,
    list_total,
    records_wanted,
)
from xiaoneng.assessment.routing_figures import routing_choices, routing_filter
from xiaoneng.cases.deadlines import attach_deadlines
from xiaoneng.cases.models import Case, CaseEvent, Category, Channel, Kind, Satisfaction, Signal
from xiaoneng.cases.permissions import cases_visible_to
from xiaoneng.cases.selectors import attach_latest_clocks
from xiaoneng.cases.selectors_search import case_text_matches
from xiaoneng.cases.states import State
from xiaoneng.org.labels import unit_label
from xiaoneng.org.models import Department, Unit
from xiaoneng.org.scope import headed_department_ids
from xiaoneng.org.selectors import staff_for
from xiaoneng.privacy import mask_name, mask_phone
from xiaoneng.security.export_views import export_with_reason
from xiaoneng.web.excel import xlsx_response
from xiaoneng.web.fields import department_options, searchable
from xiaoneng.web.forms import OfficeForm
from xiaoneng.web.pagination import first_rows, key_of, keyset, parse_plain_cursor, plain_cursor
from xiaoneng.web.permissions import CASE_ROLES, role_required
from xiaoneng.workdays.calendar import calendar_pinned, config_cached
from xiaoneng.workdays.deadlines import office_tz
from xiaoneng.workdays.models import Clock
from xiaoneng.workdays.periods import end_of_day, start_of_day

PAGE_SIZE = 50
MAX_EXPORT = 100_000
SORTS = {
    "newest": ("registered_at", True),
    "oldest": ("registered_at", False),
    "updated": ("updated_at", True),
}


class CaseFilterForm(OfficeForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("State"), required=False)
    # The web kit's searchable pickers, their options built from two reads (units; departments
    # with their units) shared by the three fields, and checked against those options (no
    # query per value as a ModelChoiceField would make).
    unit = forms.TypedChoiceField(
        label=_("Unit"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=searchable(forms.Select()),
    )
    department = forms.TypedChoiceField(
        label=_("Lead department"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=searchable(forms.Select()),
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None
    )
    level = forms.ChoiceField(label=_("Signal"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    date_from = forms.DateField(
        label=_("Registered from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Registered until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    event = forms.ChoiceField(
        label=_("Happened in the dates"),
        required=False,
        choices=[
            ("", _("Registered")),
            ("replied", _("Replied")),
            ("rated", _("Rated")),
            ("returned", _("Return requested")),
            ("reopened", _("Reopened")),
            ("carded", _("Card raised")),
        ],
        help_text=_("Which event the dates refer to."),
    )
    rating = forms.ChoiceField(label=_("Rating"), required=False)
    counted = forms.ChoiceField(
        label=_("Counted as"),
        required=False,
        help_text=_(
            "Only the cases an assessment figure counts, with unit, department and dates "
            "taken as the figure takes them."
        ),
    )
    routing = forms.ChoiceField(
        label=_("Suggested department"),
        required=False,
        help_text=_(
            "Only the cases a figure of the suggested lead department counts; the dates "
            "refer to the first dispatch."
        ),
    )
    concerned = forms.TypedChoiceField(
        label=_("Unit concerned"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=searchable(forms.Select()),
    )
    complaints = forms.BooleanField(label=_("Complaints and reports only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("updated", _("Recently updated")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_ = [("", _("All"))]
        pickers = _picker_choices()
        self.fields["unit"].choices = any_ + pickers["unit"]
        self.fields["concerned"].choices = any_ + pickers["concerned"]
        self.fields["department"].choices = any_ + pickers["department"]
        self.fields["state"].choices = any_ + list(State.choices)
        self.fields["rating"].choices = any_ + list(Satisfaction.choices)
        self.fields["channel"].choices = any_ + list(Channel.choices)
        self.fields["kind"].choices = any_ + list(Kind.choices)
        self.fields["category"].choices = any_ + pickers["category"]
        self.fields["level"].choices = any_ + list(Signal.Level.choices)
        self.fields["counted"].choices = any_ + counted_choices()
        self.fields["routing"].choices = any_ + routing_choices()

    def filters(self) -> dict[str, Any]:
        """The valid filters (a unit or department as its id); nothing when the form is
        unbound or invalid."""
        return self.cleaned_data if self.is_bound and self.is_valid() else {}


def _picker_choices() -> dict[str, list[tuple[int, str]]]:
    """The options of the unit, department, unit-concerned and category filters in the active
    language, kept in the process under the configuration token (units, departments and
    categories bump it when they change): read from the database once, not on every page."""

    def build() -> dict[str, list[tuple[int, str]]]:
        # Only the columns the labels need.
        units = list(
            Unit.objects.only("name", "short_name", "name_en", "is_active").order_by(
                "sort_order", "id"
            )
        )
        departments = list(
            Department.objects.filter(is_active=True, unit__is_active=True)
            .select_related("unit")
            .only("name", "name_en", "unit", "unit__name", "unit__short_name", "unit__name_en")
            .order_by("unit__sort_order", "unit_id", "sort_order", "id")
        )
        categories = Category.objects.order_by("sort_order", "id").only("name", "name_en")
        return {
            "unit": [(unit.pk, unit_label(unit)) for unit in units if unit.is_active],
            "concerned": [(unit.pk, unit_label(unit)) for unit in units],
            "department": department_options(departments),
            "category": [(category.pk, category.label) for category in categories],
        }

    return config_cached(("office.case_list.pickers", get_language()), build)


def filtered_cases(user: Any, data: dict[str, Any]) -> QuerySet[Case]:
    return _filtered(user, data)[0]


def _filtered(
    user: Any, data: dict[str, Any], base: QuerySet[Case] | None = None
) -> tuple[QuerySet[Case], Any]:
    cases = cases_visible_to(user) if base is None else base
    text = (data.get("q") or "").strip()
    if text:
        # LIKE, behind the bigram index on PostgreSQL (cases/selectors_search.py).
        cases = cases.filter(case_text_matches(text))
    records = None
    columns = [("state", "state"), ("channel", "channel"), ("kind", "kind")]
    columns += [("category", "category_id"), ("concerned", "unit_concerned_id")]
    routed = bool(data.get("routing")) and not records_wanted(data)
    if records_wanted(data):
        # Unit, department and dates are the figure's (where and when it was counted).
        cases, records = counted_filter(cases, data)
    elif routed:
        # Unit and dates are the routing figure's: the receiving unit, the first dispatch.
        cases = routing_filter(cases, data)
        columns += [("department", "lead_department_id")]
    else:
        columns += [("unit", "unit_id"), ("department", "lead_department_id")]
    for name, column in columns:
        if data.get(name) not in (None, ""):
            cases = cases.filter(**{column: data[name]})
    if data.get("complaints"):
        cases = cases.filter(kind__in=KINDS_COMPLAINTS)
    if data.get("level") and records is None:
        cases = cases.filter(
            Exists(
                Signal.objects.filter(case_id=OuterRef("pk"), level=data["level"], revoked=False)
            )
        )
    if data.get("overdue"):
        cases = cases.filter(pk__in=_late_case_ids())
    if data.get("rating"):
        cases = cases.filter(satisfaction=data["rating"])
    if records is not None or routed:
        return cases, records
    return _dated(cases, data), None


# Up to this many late cases are read first and matched by id; beyond it a subquery is better.
LATE_IDS_READ_FIRST = 1000


def _late_case_ids() -> list[int] | QuerySet[Clock]:
    """Cases with a running sign-for or reply clock past its due moment. The planner walks the
    newest cases and probes each one's clocks: fast when late cases are many (it soon has a
    page), but with a handful it reads every case. So a few are read first (index on state and
    due) and matched by id; many stay a subquery."""
    late = Clock.objects.filter(
        owner_type="cases.case",
        stage__in=["sign_for", "reply"],
        state=Clock.State.RUNNING,
        due_at__lt=timezone.now(),
    ).values_list("owner_id", flat=True)
    ids = list(late[: LATE_IDS_READ_FIRST + 1])
    return ids if len(ids) <= LATE_IDS_READ_FIRST else late


# The events an assessment count is anchored on (assessment/contributions.py), so a number on
# the dashboard opens exactly the cases behind it.
EVENT_ACTIONS = {
    "replied": ("reply", "answer_directly"),
    "rated": ("rate",),
    "returned": ("request_return",),
    "reopened": ("reopen",),
}


def _dated(cases: QuerySet[Case], data: dict[str, Any]) -> QuerySet[Case]:
    tz = office_tz()
    start = start_of_day(data["date_from"], tz) if data.get("date_from") else None
    end = end_of_day(data["date_to"], tz) if data.get("date_to") else None
    actions = EVENT_ACTIONS.get(data.get("event") or "")
    if actions is None:
        if start is not None:
            cases = cases.filter(registered_at__gte=start)
        if end is not None:
            return cases.filter(registered_at__lte=end)
        return cases
    events = CaseEvent.objects.filter(case_id=OuterRef("pk"), action__in=actions)
    if start is not None:
        events = events.filter(at__gte=start)
    if end is not None:
        events = events.filter(at__lte=end)
    return cases.filter(Exists(events))


def _keyset(cases: QuerySet[Case], sort: str, after: str) -> QuerySet[Case]:
    column, descending = SORTS.get(sort, SORTS["newest"])
    key = parse_plain_cursor(after) if after else None
    return keyset(cases, column=column, descending=descending, after=key)


def _cursor(case: Case, sort: str) -> str:
    column, _descending = SORTS.get(sort, SORTS["newest"])
    return plain_cursor(key_of(case, column))


def _form(request: HttpRequest) -> CaseFilterForm:
    return CaseFilterForm(request.GET or None)


# What a row of the list shows, and nothing more: the text, the requester's personal data other
# than the name and the unused relations are not read (each encrypted field read is decrypted).
LIST_COLUMNS = (
    "number",
    "title",
    "registered_at",
    "updated_at",
    "channel",
    "state",
    "is_anonymous",
    "requester_name",
    "category",
    "category__name",
    "category__name_en",
    "lead_department",
    "lead_department__name",
    "lead_department__name_en",
    "policy_version",
    "policy_version__prewarn_workdays",
    "policy_version__yellow_grace_workdays",
)


@role_required(*CASE_ROLES)
def case_list(request: HttpRequest) -> HttpResponse:
    # The calendar's and the configuration's tokens read once for the page (one query): the
    # filters' options and the deadline colours both ask.
    with calendar_pinned():
        return _case_list(request)


def _case_list(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    data = form.filters()
    sort = data.get("sort") or "newest"
    matching, records = _filtered(request.user, data)
    # The stated total only for a list opened from a figure (no COUNT over the whole table).
    total, not_shown = None, 0
    if records is not None:
        staff = staff_for(request.user)
        headed = headed_department_ids(staff)
        # The same filters without the reader's visibility: what their figure counted.
        everything = _filtered(request.user, data, base=Case.objects.all())[0] if headed else None
        total, not_shown = list_total(matching, records, data, headed=headed, everything=everything)
    elif data.get("overdue") or data.get("routing"):
        # Late cases are few (read by id); a routing figure's cases are read by id too.
        total = matching.count()
    cases = _keyset(matching, sort, request.GET.get("after", ""))
    cases = cases.select_related("category", "lead_department", "policy_version").only(
        *LIST_COLUMNS
    )
    rows, more = first_rows(cases, PAGE_SIZE)
    # The clocks of the rows shown, in one query (not twelve subqueries a row).
    rows = attach_deadlines(attach_latest_clocks(rows))
    _row_texts(rows)
    query = request.GET.copy()
    query.pop("after", None)
    next_query = ""
    if more:
        query["after"] = _cursor(rows[-1], sort)
        next_query = query.urlencode()
    export_query = request.GET.copy()
    export_query.pop("after", None)
    context = {
        "form": form,
        "cases": rows,
        "next_query": next_query,
        "first_page": bool(request.GET.get("after")),
        "reset_query": export_query.urlencode(),
        "total": total,
        "counted": bool(records is not None),
        "not_shown": not_shown,
    }
    return render(request, "office/cases/list.html", context)


def _row_texts(rows: list[Case]) -> None:
    """Put on each row the texts its cells show, worked out once per page what can be: the
    choice labels translated once (``get_FOO_display`` translates every choice on each call),
    the date format and time zone looked up once (``|date`` does both for each date), the
    case page's address reversed once; the template then prints plain values."""
    channels = {value: str(label) for value, label in Channel.choices}
    states = {value: str(label) for value, label in State.choices}
    anonymous = gettext("Anonymous")
    moment_format = get_format("DATETIME_FORMAT")
    tz = timezone.get_current_timezone()
    detail = reverse("office:case_detail", args=[ROW_PK]).split(str(ROW_PK))
    for case in rows:
        case.detail_url = f"{detail[0]}{case.pk}{detail[1]}"
        case.registered_text = date_format(case.registered_at.astimezone(tz), moment_format)
        case.channel_label = channels.get(case.channel, case.channel)
        case.state_label = states.get(case.state, case.state)
        case.category_label = case.category.label
        case.lead_label = case.lead_department.label if case.lead_department else "—"
        if case.is_anonymous:
            case.requester_text = anonymous
        else:
            case.requester_text = mask_name(case.requester_name) or "—"
        deadline = case.deadline
        case.deadline_text = (
            f"{deadline.label} · {date_format(deadline.due_at.astimezone(tz), moment_format)}"
            if deadline.due_at
            else ""
        )


# A case id that stands for any in the reversed address of the case page (split around it).
ROW_PK = 987_654_321


EXPORT_COLUMNS = [
    ("number", _("Number")),
    ("registered", _("Registered at")),
    ("channel", _("Channel")),
    ("kind", _("Kind")),
    ("category", _("Category")),
    ("title", _("Title")),
    ("unit", _("Unit")),
    ("lead", _("Lead department")),
    ("handler", _("Handler")),
    ("state", _("State")),
    ("requester", _("Requester")),
    ("phone", _("Phone")),
    ("replied", _("Replied at")),
    ("satisfaction", _("Satisfaction")),
]


class _ExportLabels:
    """Choice labels translated once per export: ``get_FOO_display`` translates every choice
    of the field again on each call, which was most of the time of a 100 000-row export."""

    def __init__(self) -> None:
        self.channel = {value: str(label) for value, label in Channel.choices}
        self.kind = {value: str(label) for value, label in Kind.choices}
        self.state = {value: str(label) for value, label in State.choices}
        self.satisfaction = {value: str(label) for value, label in Satisfaction.choices}
        self.tz = timezone.get_current_timezone()

    def moment(self, moment: datetime | None) -> str:
        return moment.astimezone(self.tz).strftime("%Y-%m-%d %H:%M") if moment else ""


def _export_row(case: Case, labels: _ExportLabels) -> list[Any]:
    anonymous = case.is_anonymous
    return [
        case.number,
        labels.moment(case.registered_at),
        labels.channel.get(case.channel, case.channel),
        labels.kind.get(case.kind, case.kind),
        case.category.label,
        case.title,
        case.unit.label,
        case.lead_department.label if case.lead_department else "",
        str(case.handler.user) if case.handler else "",
        labels.state.get(case.state, case.state),
        "" if anonymous else mask_name(case.requester_name),
        "" if anonymous else mask_phone(case.requester_phone),
        labels.moment(case.replied_at),
        labels.satisfaction.get(case.satisfaction, "") if case.satisfaction else "",
    ]


@role_required(*CASE_ROLES)
def case_export(request: HttpRequest) -> HttpResponse:
    """The current list (all pages, up to 100 000 rows) as Excel, personal data masked.

    GET asks for the reason; POST (filters in the query string) checks the reason and the
    hourly limit, then sends the watermarked workbook and audits the row count.
    """
    return export_with_reason(
        request,
        kind="case",
        roles=CASE_ROLES,
        title=gettext("Export cases to Excel"),
        back="office:case_list",
        produce=lambda reason: _case_export_file(request, reason),
    )


def _case_export_file(request: HttpRequest, reason: str) -> HttpResponse:
    data = _form(request).filters()
    cases = _keyset(filtered_cases(request.user, data), data.get("sort") or "newest", "")
    cases = cases.select_related("category", "unit", "lead_department", "handler__user")
    labels = _ExportLabels()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(
        request,
        kind="case",
        reason=reason,
        sheet_title=gettext("Cases"),
        header=[str(label) for _key, label in EXPORT_COLUMNS],
        rows=(_export_row(case, labels) for case in cases[:MAX_EXPORT].iterator(chunk_size=2000)),
        filename=f"cases-{stamp}.xlsx",
        filters={k: str(v) for k, v in data.items() if v},
    )
