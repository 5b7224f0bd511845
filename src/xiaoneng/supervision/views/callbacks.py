"""Callbacks (回访): the worklist, the call page with its script and outcome form, the
requester's phone revealed for a stated reason, and the sampling policies."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.cases.models import Case
from xiaoneng.cases.services.reveal import case_requester_reveal
from xiaoneng.errors import DomainError
from xiaoneng.org.models import Unit
from xiaoneng.org.scope import has_any_role
from xiaoneng.privacy import mask_phone
from xiaoneng.supervision import services
from xiaoneng.supervision.forms import CallbackForm, PolicyForm, RevealForm
from xiaoneng.supervision.permissions import CALLBACK_ROLES
from xiaoneng.supervision.selectors import callback_case, callback_policies, callback_worklist
from xiaoneng.web.permissions import role_required
from xiaoneng.web.person import REVEAL_PERMISSION

OFFICE = ("efficiency_office",)


@require_GET
@role_required(*CALLBACK_ROLES)
def callback_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "supervision/callback_list.html",
        {"cases": callback_worklist(request.user)},
    )


def call_script(case: Case, phone: str) -> str:
    """The fixed words of the call, in the interface language, with the case's facts."""
    replied = timezone.localtime(case.replied_at).strftime("%Y-%m-%d") if case.replied_at else ""
    return _(
        "Hello, this is the efficiency office of the education bureau calling back about your "
        "request %(number)s (%(category)s), answered on %(replied)s. Are you satisfied with "
        "how it was handled: satisfied, basically satisfied or unsatisfied? Has your matter "
        "been resolved? Number called: %(phone)s."
    ) % {"number": case.number, "category": case.category.label, "replied": replied, "phone": phone}


def _call_page(
    request: HttpRequest, case: Case, *, revealed: bool = False, form: Any = None, status: int = 200
) -> HttpResponse:
    attempts = list(case.callbacks.select_related("by").order_by("attempt"))
    phone = case.requester_phone if revealed else mask_phone(case.requester_phone)
    settled = any(attempt.final for attempt in attempts)
    context = {
        "case": case,
        "attempts": attempts,
        "script": call_script(case, phone or "—"),
        "revealed": revealed,
        "may_reveal": request.user.has_perm(REVEAL_PERMISSION)
        and not case.is_anonymous
        and bool(case.requester_phone),
        "may_record": has_any_role(request.user, OFFICE)
        and not settled
        and case.state == "replied",
        "settled": settled,
        "form": form or CallbackForm(),
    }
    return render(request, "supervision/callback_case.html", context, status=status)


@role_required(*CALLBACK_ROLES)
def callback_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = callback_case(request.user, pk)
    if request.method != "POST":
        return _call_page(request, case)
    if not has_any_role(request.user, OFFICE):
        raise PermissionDenied
    form = CallbackForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            attempt = services.callback_record(
                case=case,
                by=request.user,
                outcome=data["outcome"],
                satisfaction=data["satisfaction"],
                resolved=data["resolved"],
                notes=data["notes"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            if attempt.unreachable:
                messages.warning(request, _("Third failed attempt: marked as unreachable."))
            else:
                messages.success(request, _("The callback was recorded."))
            if attempt.final:
                return redirect("supervision:callback_list")
            return redirect("supervision:callback_page", pk=case.pk)
    return _call_page(request, case, form=form, status=400)


@require_POST
@role_required(*CALLBACK_ROLES)
def callback_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester's phone in full, once, for a stated reason, with an audit row."""
    case = callback_case(request.user, pk)
    if not request.user.has_perm(REVEAL_PERMISSION) or case.is_anonymous:
        raise Http404
    form = RevealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the reason for revealing."))
        return redirect("supervision:callback_page", pk=case.pk)
    case_requester_reveal(
        by=request.user, case=case, reason=form.cleaned_data["reason"], via="callback"
    )
    messages.warning(request, _("Shown for this page only; your access was recorded."))
    return _call_page(request, case, revealed=True)


@role_required(*CALLBACK_ROLES)
def callback_policy_page(request: HttpRequest) -> HttpResponse:
    form = PolicyForm(request.POST or None)
    if request.method == "POST":
        if not has_any_role(request.user, OFFICE):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.callback_policy_set(by=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The callback sample was saved."))
                return redirect("supervision:callback_policies")
    policies = callback_policies()
    units = [
        {"unit": unit, "percent": policies.get(unit.pk, 100)}
        for unit in Unit.objects.filter(is_active=True)
    ]
    return render(
        request,
        "supervision/callback_policies.html",
        {"form": form, "units": units, "may_edit": has_any_role(request.user, OFFICE)},
        status=400 if form.errors else 200,
    )
