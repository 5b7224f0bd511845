"""Office shell: sign in and out, the home page with the workbench, and the audit log viewer."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from xiaoneng.audit.labels import FAMILY_LABELS
from xiaoneng.audit.models import AuditEntry
from xiaoneng.audit.selectors import audit_chain_verify
from xiaoneng.audit.sentences import audit_lines
from xiaoneng.cases.permissions import has_case_scope
from xiaoneng.office.workbench import workbench_for
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import user_roles
from xiaoneng.security.selectors import administrator_ids
from xiaoneng.web.permissions import role_required
from xiaoneng.web.person import prime
from xiaoneng.web.workbench import workbench_sections
from xiaoneng.workdays.calendar import calendar_pinned
from xiaoneng.workdays.selectors import calendar_status


class LoginView(auth_views.LoginView):
    template_name = "office/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def home(request: HttpRequest) -> HttpResponse:
    """The person's home: their workbench (工作台) when they work on cases."""
    prime(request.user)
    workbench = None
    roles = user_roles(request.user)
    # The calendar's token is read once for the page (not once per calendar asked for: the
    # case groups, each internal matter's clock).
    with calendar_pinned():
        if has_case_scope(request.user):
            workbench = workbench_for(request.user)
        # Sections the features register (web/workbench.py), e.g. internal matters.
        sections = workbench_sections(request.user)
    # The administrator must see a missing holiday schedule before deadlines go provisional.
    calendar = calendar_status() if Role.SYSADMIN in roles else None
    return render(
        request,
        "office/home.html",
        {"workbench": workbench, "calendar": calendar, "sections": sections},
    )


def _trail_url(object_type: str, object_id: str) -> str:
    """The audit trail of one object. The audit log is the audit administrator's page, and the
    three administrators never open case content (三员分立): an object links to its own rows
    here, never to its page."""
    query = urlencode({"object": f"{object_type}:{object_id}"})
    return f"{reverse('office:audit_log')}?{query}"


def _actor_trail_url(actor_id: int) -> str:
    return f"{reverse('office:audit_log')}?{urlencode({'actor': actor_id})}"


@role_required(Role.AUDITOR)
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.order_by("-id")
    family = request.GET.get("family", "").strip()
    if family in FAMILY_LABELS:
        entries = entries.filter(action__startswith=f"{family}.")
    else:
        family = ""
    object_type, _sep, object_id = request.GET.get("object", "").partition(":")
    if object_type and object_id:
        entries = entries.filter(object_type=object_type, object_id=object_id)
    actor = request.GET.get("actor", "").strip()
    if actor.isdigit():
        entries = entries.filter(actor_id=int(actor))
    else:
        actor = ""
    # The three administrators' own actions, reviewed by the audit administrator (三员分立).
    admins = request.GET.get("actors") == "admins"
    if admins:
        entries = entries.filter(actor_id__in=administrator_ids())
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    lines = audit_lines(page, object_url=_trail_url, actor_url=_actor_trail_url)
    kept = {"family": family, "actor": actor, "object": request.GET.get("object", "")}
    if admins:
        kept["actors"] = "admins"
    context = {
        "page": page,
        "lines": lines,
        "family": family,
        "families": sorted(
            {(code, str(label)) for code, label in FAMILY_LABELS.items() if code != "cases"},
            key=lambda pair: pair[1],
        ),
        "narrowed": bool(actor or (object_type and object_id)),
        "admins": admins,
        "query": urlencode({key: value for key, value in kept.items() if value}),
    }
    return render(request, "office/audit_log.html", context)


@role_required(Role.AUDITOR)
def audit_verify(request: HttpRequest) -> HttpResponse:
    report = audit_chain_verify() if request.method == "POST" else None
    return render(request, "office/audit_verify.html", {"report": report})
