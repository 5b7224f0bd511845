"""The security administrator's page of sign-in events and lockouts, with the unlock action."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.errors import DomainError
from xiaoneng.org.roles import Role
from xiaoneng.security.selectors import lockouts_current, security_events
from xiaoneng.security.signins import SECURITY_EVENT_LABELS, lockout_clear
from xiaoneng.web.permissions import role_required


@role_required(Role.SECADMIN)
@require_GET
def signins(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("action", "")[:64]
    username = request.GET.get("username", "")[:150]
    events = security_events(action=action, username=username)
    context = {
        "page": Paginator(events, 50).get_page(request.GET.get("page")),
        "locks": lockouts_current(),
        "labels": SECURITY_EVENT_LABELS,
        "action": action,
        "username": username,
    }
    return render(request, "security/signins.html", context)


@role_required(Role.SECADMIN)
@require_POST
def signin_unlock(request: HttpRequest) -> HttpResponse:
    try:
        removed = lockout_clear(
            by=request.user,
            username=request.POST.get("username", ""),
            ip_address=request.POST.get("ip_address", ""),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("The lockout was lifted (%(count)d records removed).") % {"count": removed}
        )
    return HttpResponseRedirect(reverse("security:signins"))
