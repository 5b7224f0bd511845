"""Office shell: sign in and out, the home page with the workbench, and the audit log viewer."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xiaoneng.audit.models import AuditEntry
from xiaoneng.audit.selectors import audit_chain_verify
from xiaoneng.cases.permissions import has_case_scope
from xiaoneng.office.workbench import workbench_for
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import user_roles
from xiaoneng.security.selectors import administrator_ids
from xiaoneng.web.permissions import role_required
from xiaoneng.web.person import prime
from xiaoneng.web.workbench import workbench_sections
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
    if has_case_scope(request.user):
        workbench = workbench_for(request.user)
    # The administrator must see a missing holiday schedule before deadlines go provisional.
    calendar = calendar_status() if Role.SYSADMIN in roles else None
    # Sections the features register (web/workbench.py), e.g. internal matters.
    sections = workbench_sections(request.user)
    return render(
        request,
        "office/home.html",
        {"workbench": workbench, "calendar": calendar, "sections": sections},
    )


@role_required(Role.AUDITOR)
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.order_by("-id")
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    # The three administrators' own actions, reviewed by the audit administrator (三员分立).
    admins = request.GET.get("actors") == "admins"
    if admins:
        entries = entries.filter(actor_id__in=administrator_ids())
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    context = {"page": page, "action": action, "admins": admins}
    return render(request, "office/audit_log.html", context)


@role_required(Role.AUDITOR)
def audit_verify(request: HttpRequest) -> HttpResponse:
    report = audit_chain_verify() if request.method == "POST" else None
    return render(request, "office/audit_verify.html", {"report": report})
