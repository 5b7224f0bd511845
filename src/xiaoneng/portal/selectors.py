"""What the public may read: its own case (by code and secret), published results, contacts."""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, Model, OuterRef, QuerySet, Subquery, TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.cases import clocks
from xiaoneng.cases.identifiers import secret_hash, secret_matches
from xiaoneng.cases.models import Case, CaseEvent, Kind, Satisfaction
from xiaoneng.cases.selectors import case_timeline, public_reply, published_reply
from xiaoneng.cases.states import State
from xiaoneng.org.models import Department
from xiaoneng.portal import orgnames
from xiaoneng.portal.progress import Dues, EventFact, Progress, progress_line
from xiaoneng.portal.timeline import PublicEvent, public_events, public_state
from xiaoneng.privacy import case_names, case_personal_values, redact
from xiaoneng.web.compiled import compiled_rows_for
from xiaoneng.workdays.explain import explain_clock
from xiaoneng.workdays.models import Clock, ClockExtension, ClockPause

_CODE_CHARS = re.compile(r"[^A-Z0-9]")
# Compared against when the code is unknown, so both failures cost the same.
_DUMMY_HASH = secret_hash("XXXXXXXXXX", "XXXXXXXX")


def normalize_code(code: str) -> str:
    return _CODE_CHARS.sub("", (code or "").upper())[:16]


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def tracking_cases() -> QuerySet[Case]:
    """The case with its category, and the id of its newest event (the version its cached page
    is kept under), in one query."""
    newest = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-id").values("id")[:1]
    # The lead department and the handler are read apart and kept (portal/orgnames.py): joined
    # here, they made the statement cost PostgreSQL five times as much. By id: no sort.
    return (
        Case.objects.select_related("category").annotate(last_event_id=Subquery(newest)).order_by()
    )


# What a lookup reads before the page's cache: the secret's hash and the case's version.
_VERSION_FIELDS = ("pk", "tracking_secret_hash", "updated_at")


def tracking_versions(*, with_phone: bool = False) -> QuerySet[Case]:
    """The case with only what finding it and naming its cached page need (its secret's hash,
    its last update and the id of its newest event): a small query, cheap to build, for the
    lookup whose page is then read from the cache. ``portal.tracking.tracking_page`` reads the
    whole case (``tracked_case``) only when the page is not cached."""
    newest = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-id").values("id")[:1]
    fields = _VERSION_FIELDS + (("requester_phone", "is_anonymous") if with_phone else ())
    return Case.objects.only(*fields).annotate(last_event_id=Subquery(newest)).order_by()


def _only(found: list[Case]) -> Case:
    if not found:
        raise Case.DoesNotExist("No case matches the given query.")
    return found[0]


# The lookup's statements are the same for every case: compiled to SQL once per connection
# (web/compiled.py), which was a fifth of a cached lookup's Python.
def tracked_version(pk: int) -> Case:
    """The case ``pk`` as ``tracking_versions`` reads it; raises ``Case.DoesNotExist``."""
    return _only(
        compiled_rows_for(
            "portal.tracked_version", lambda marker: tracking_versions().filter(pk=marker), pk
        )
    )


def case_find_for_tracking(*, code: str, secret: str = "", phone_last4: str = "") -> Case | None:
    """The case whose code matches with its secret, or with the last four digits of the
    requester's phone. ``None`` for every kind of failure, told apart by nothing. The case is
    read as ``tracking_versions`` reads it (enough for ``tracking_page`` and ``track_token``)."""
    code = normalize_code(code)
    secret = (secret or "").strip()
    last4 = _digits(phone_last4 or "")
    with_phone = not secret and len(last4) == 4
    found = (
        compiled_rows_for(
            ("portal.tracking_versions", with_phone),
            lambda marker: tracking_versions(with_phone=with_phone).filter(tracking_code=marker),
            code,
        )
        if code
        else []
    )
    case = found[0] if found else None
    if secret:
        ok = secret_matches(code, secret, case.tracking_secret_hash if case else _DUMMY_HASH)
    elif len(last4) == 4:
        phone = _digits(case.requester_phone) if case and not case.is_anonymous else ""
        ok = hmac.compare_digest((phone[-4:] if len(phone) >= 4 else "----"), last4)
    else:
        ok = False
    return case if ok and case is not None else None


def tracked_case(pk: int) -> Case:
    """The case ``pk`` as ``tracking_cases`` reads it; raises ``Case.DoesNotExist``."""
    return _only(
        compiled_rows_for(
            "portal.tracked_case", lambda marker: tracking_cases().filter(pk=marker), pk
        )
    )


# What the track page reads of the case itself (``tracking_view``), the personal values that
# its texts are masked against (``privacy.case_personal_values``) and its version: not the
# request's text, the rating comment or the office's fields, which the page never shows.
_PAGE_FIELDS = (
    "pk",
    "number",
    "tracking_secret_hash",
    "kind",
    "category",
    "title",
    "person_concerned",
    "requester_name",
    "requester_phone",
    "requester_email",
    "requester_id_number",
    "state",
    "first_contact_id",
    "lead_department_id",
    "handler_id",
    "reply_text",
    "replied_at",
    "satisfaction",
    "resolved",
    "rated_at",
    "rated_by_callback",
    "registered_at",
    "updated_at",
)


def tracked_page_case(pk: int) -> Case:
    """The case ``pk`` as ``tracking_cases`` reads it, with only what its page shows
    (``_PAGE_FIELDS``); raises ``Case.DoesNotExist``."""
    return _only(
        compiled_rows_for(
            "portal.tracked_page_case",
            lambda marker: tracking_cases().only(*_PAGE_FIELDS).filter(pk=marker),
            pk,
        )
    )


@dataclass(frozen=True)
class Tracking:
    """What the track page shows of one case: plain values, no model instance, so it can be
    kept in the cache (portal/tracking.py) and shown again without a query."""

    number: str
    kind: str
    category: str
    state: str
    registered_at: datetime
    replied_at: datetime | None
    title: str
    reply: str
    status: str
    department: str
    handler: str
    head: str
    due_at: datetime | None
    due_lines: list[str]
    timeline: list[PublicEvent]
    progress: Progress
    rating_open: bool
    rating_due_at: datetime | None
    rated: bool
    satisfaction: str
    resolved: bool | None
    contacts: Contacts

    @property
    def can_rate(self) -> bool:
        """The rating window, read at the moment of the request (the page may be cached)."""
        return (
            self.rating_open
            and self.rating_due_at is not None
            and timezone.now() <= self.rating_due_at
        )


def _department_label(department: Department | None) -> str:
    if department is None:
        return ""
    return f"{department.unit.short_label} {department.label}"


def _case_clocks(pk: int) -> QuerySet[Clock]:
    """The case's clocks (``clocks.case_clocks``) without their pauses and extensions, each
    marked with whether it has any: the page reads them for the reply clock alone."""
    pauses = ClockPause.objects.filter(clock=OuterRef("pk"))
    extensions = ClockExtension.objects.filter(clock=OuterRef("pk"))
    return (
        clocks.case_clocks(Case(pk=pk))
        .prefetch_related(None)
        .annotate(has_pauses=Exists(pauses), has_extensions=Exists(extensions))
    )


def _kept_as_prefetched(obj: Model, name: str, items: list[Any]) -> None:
    """``items`` kept as the prefetched rows of ``obj``'s relation ``name``, as
    ``prefetch_related`` keeps them, so ``obj.<name>.all()`` reads no row."""
    rows = getattr(obj, name).all()
    rows._result_cache = items
    rows._prefetch_done = True
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[name] = rows


def _with_pauses_and_extensions(clock: Clock) -> None:
    """Read the pauses and extensions of ``clock`` (for ``explain_clock``), with a query only
    for those it has: most clocks have neither."""
    pauses: list[ClockPause] = []
    extensions: list[ClockExtension] = []
    if getattr(clock, "has_pauses", True):
        pauses = compiled_rows_for(
            "portal.clock_pauses",
            lambda pk: ClockPause.objects.filter(clock_id=pk),
            clock.pk,
        )
    if getattr(clock, "has_extensions", True):
        extensions = compiled_rows_for(
            "portal.clock_extensions",
            lambda pk: ClockExtension.objects.filter(clock_id=pk).select_related("approver"),
            clock.pk,
        )
    _kept_as_prefetched(clock, "pauses", pauses)
    _kept_as_prefetched(clock, "extensions", extensions)


def _current_clocks(case: Case) -> dict[str, Clock]:
    """The latest clock of each stage, as ``clocks.current`` reads it, for every stage at once:
    the case's clocks in one query. The reply clock (whose due date the page explains) gets
    its pauses and extensions, with a query only for what it has."""
    found = compiled_rows_for("portal.case_clocks", _case_clocks, case.pk)
    current = {clock.stage: clock for clock in found}
    reply_clock = current.get(clocks.REPLY)
    if reply_clock is not None:
        _with_pauses_and_extensions(reply_clock)
    return current


def _running_due(clock: Clock | None) -> datetime | None:
    return clock.due_at if clock is not None and clock.state != Clock.State.STOPPED else None


def _public_events(pk: int) -> QuerySet[CaseEvent]:
    """The case's public timeline (``case_timeline(public_only=True)``) with what the page
    reads of each event: not who acted, whom the public page never names."""
    return (
        case_timeline(case=Case(pk=pk), public_only=True)
        .select_related(None)
        .only("pk", "case_id", "at", "action", "data")
    )


def _label(choices: type[TextChoices], value: str) -> str:
    """``get_<field>_display()`` for one value: the model's method translates every choice
    of the field to find it."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def tracking_view(case: Case) -> Tracking:
    """Everything the track page shows for one case, with no one's personal data."""
    current = _current_clocks(case)
    reply_clock = current.get(clocks.REPLY)
    rating_clock = current.get(clocks.RATING)
    due_at = reply_clock.due_at if reply_clock is not None else None
    due_lines = explain_clock(reply_clock).lines() if reply_clock is not None else []
    rating_open = (
        case.state == State.REPLIED
        and rating_clock is not None
        and rating_clock.state == Clock.State.RUNNING
    )
    lead, handler = orgnames.lead_and_handler(case)
    head = lead.head if lead is not None else None
    events = compiled_rows_for("portal.public_events", _public_events, case.pk)
    dues = Dues(
        intake=_running_due(current.get(clocks.INTAKE)),
        sign_for=_running_due(current.get(clocks.SIGN_FOR)),
        reply=_running_due(reply_clock),
        rating=_running_due(rating_clock),
    )
    facts = [EventFact(e.action, e.at, pool=bool(e.data.get("pool"))) for e in events]
    unrated = case.satisfaction in {"", Satisfaction.UNRATED} or case.rated_at is None
    # The page is reached with a code and a secret that may have been passed on: it shows
    # the requester's own words without their personal data, like every public page.
    personal = case_personal_values(case)
    return Tracking(
        number=case.number,
        kind=_label(Kind, case.kind),
        category=case.category.label,
        state=case.state,
        registered_at=case.registered_at,
        replied_at=case.replied_at if case.reply_text else None,
        title=redact(case.title, personal, patterns=False),
        reply=public_reply(case),
        status=public_state(case.state, pooled=case.first_contact_id is None),
        department=_department_label(lead),
        handler=handler.name if handler is not None else "",
        head=head.name if head else "",
        due_at=due_at,
        due_lines=due_lines,
        timeline=public_events(events),
        progress=progress_line(events=facts, state=case.state, dues=dues, unrated=unrated),
        rating_open=rating_open,
        rating_due_at=rating_clock.due_at if rating_open and rating_clock else None,
        rated=bool(case.rated_at) and not case.rated_by_callback,
        satisfaction=_label(Satisfaction, case.satisfaction) if case.satisfaction else "",
        resolved=case.resolved,
        contacts=portal_contacts(kept=True),
    )


# -- the results board -------------------------------------------------------------------------


def _last_reply_clock(field: str) -> Subquery:
    return Subquery(
        Clock.objects.filter(
            owner_type=clocks.CASE_OWNER,
            owner_id=OuterRef("pk"),
            stage=clocks.REPLY,
            stopped_at__isnull=False,
        )
        .order_by("-id")
        .values(field)[:1]
    )


def with_last_reply(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate the stop and due moments of the reply clock of the published (last) reply.
    On time means what the assessment counts as ``replied_on_time``: stopped at or before
    the (extended) due moment (assessment/contributions.py)."""
    return cases.annotate(
        reply_stopped_at=_last_reply_clock("stopped_at"),
        reply_due_at=_last_reply_clock("due_at"),
    )


def published_cases() -> QuerySet[Case]:
    """Closed cases whose requester consented to publication of the result.

    Anonymous reports are left out: the matter of a report alone can point the reported unit
    at the whistleblower, whose identity must never reach it (DESIGN §8).
    """
    return Case.objects.filter(
        state=State.CLOSED, consent_publish=True, is_anonymous=False
    ).exclude(reply_text="")


@dataclass(frozen=True)
class PublishedResult:
    number: str
    title: str
    kind: str
    category: str
    unit: str
    registered_at: datetime
    replied_at: datetime | None
    closed_at: datetime | None
    on_time: bool | None
    result: str
    responsible: str
    handler: str
    satisfaction: str


def results_page(*, page: int, per_page: int = 20, category: str = "") -> Page:
    cases = with_last_reply(published_cases()).select_related(
        "category", "unit", "unit_concerned", "lead_department__head__user", "handler__user"
    )
    if category:
        cases = cases.filter(category__code=category)
    cases = cases.order_by("-closed_at", "-id")
    paginator = Paginator(cases, per_page)
    result_page = paginator.get_page(page)
    result_page.object_list = [_published(case) for case in result_page.object_list]  # type: ignore[misc]
    return result_page


def _published(case: Case) -> PublishedResult:
    names = case_names(case)
    head = case.lead_department.head if case.lead_department else None
    stopped, due = case.reply_stopped_at, case.reply_due_at  # type: ignore[attr-defined]
    unit = case.unit_concerned or case.unit
    return PublishedResult(
        number=case.number,
        title=redact(case.title, names),
        kind=case.get_kind_display(),
        category=case.category.label,
        unit=unit.label,
        registered_at=case.registered_at,
        replied_at=case.replied_at,
        closed_at=case.closed_at,
        on_time=(stopped <= due) if stopped and due else None,
        result=published_reply(case),
        responsible=head.name if head else "",
        handler=case.handler.name if case.handler else "",
        satisfaction=case.get_satisfaction_display() if case.satisfaction else "",
    )


# -- contacts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contacts:
    bureau: str
    hotline: str
    supervision_phone: str
    supervising_body: str
    address: str


def portal_contacts(*, kept: bool = False) -> Contacts:
    """The bureau's contacts: read on every public page (the same statement, compiled once per
    connection); with ``kept``, the bureau as ``orgnames`` keeps it (the track page)."""
    bureau = orgnames.bureau(kept=kept)
    if bureau is None:
        return Contacts(
            bureau="", hotline="", supervision_phone="", supervising_body="", address=""
        )
    # The bureau by its name in the reader's language (its English name on English pages).
    return Contacts(
        bureau=bureau.label,
        hotline=bureau.enquiry_phone,
        supervision_phone=bureau.supervision_phone,
        supervising_body=_("%(bureau)s efficiency office") % {"bureau": bureau.label},
        address=bureau.address,
    )
