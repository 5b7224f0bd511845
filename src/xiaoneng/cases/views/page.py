"""The case page and its actions: every action is one POST that calls one service.

The actions, their forms and services are those of the table in cases/actions.py, which the
API's lifecycle endpoints dispatch through as well.

With htmx the response is the case fragment (no full reload); without JavaScript the browser
posts the same form, is redirected back to the page on success (POST/redirect/GET) and gets
the page with the form's errors on failure.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.cases.actions import ACTIONS, CaseAction, action_message, last_event_id
from xiaoneng.cases.forms import ActionForm
from xiaoneng.cases.models import Attachment, Case
from xiaoneng.cases.permissions import case_for_user
from xiaoneng.cases.selectors import case_for_page
from xiaoneng.cases.services.reveal import case_requester_reveal
from xiaoneng.cases.views.casepage import Bound, case_context, requester_view
from xiaoneng.cases.views.forms import RevealForm, active_departments
from xiaoneng.errors import DomainError
from xiaoneng.sealing import SealError, unseal
from xiaoneng.web.permissions import case_view
from xiaoneng.web.person import REVEAL_PERMISSION
from xiaoneng.workdays.explain import explain_clock
from xiaoneng.workdays.models import Clock


def render_case(
    request: HttpRequest,
    case: Case,
    *,
    status: int = 200,
    flash: list[Any] | None = None,
    **kw: Any,
) -> HttpResponse:
    context = case_context(request, case, **kw)
    context["flash"] = flash or []
    template = "cases/_case.html" if request.htmx else "cases/detail.html"
    return render(request, template, context, status=status)


@require_GET
@case_view
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_case(request, case_for_page(request.user, pk))


def perform(action: CaseAction, case: Case, user: Any, form: ActionForm) -> None:
    """Call the one service behind ``action`` with the form's arguments (cases/actions.py)."""
    action.service(case=case, by=user, **form.arguments())


def safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@require_POST
@case_view
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    entry = ACTIONS.get(action)
    if entry is None or entry.form is None:
        raise Http404
    case = case_for_user(request.user, pk)
    kwargs: dict[str, Any] = {"case": case, "user": request.user}
    if entry.form.uses_departments:
        kwargs["departments"] = active_departments()
    form = entry.form(request.POST, request.FILES, **kwargs)
    error = ""
    after_event_id = last_event_id(case)
    if form.is_valid():
        try:
            perform(entry, case, request.user, form)
        except DomainError as exc:
            error = str(exc)
    else:
        error = _("Please correct the marked fields.")
    if error:
        form.add_error(None, error)
        page_case = case_for_page(request.user, pk)
        bound = Bound(action=action, form=form, errors=[error])
        if request.htmx and safe_next(request):
            # An inline action on a list: tell the person there, without leaving the list.
            return render(request, "office/_flash.html", {"flash": [("error", error)]})
        return render_case(request, page_case, bound=bound)
    message = action_message(action, case, after_event_id=after_event_id)
    target = safe_next(request)
    if request.htmx and target:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        messages.success(request, message)
        return response
    try:
        page_case = case_for_page(request.user, pk)
    except Http404:
        # The action moved the case out of this person's scope (e.g. a return was accepted).
        messages.success(request, message)
        home = reverse("office:home")
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = home
            return response
        return HttpResponseRedirect(home)
    if request.htmx:
        return render_case(request, page_case, flash=[("success", message)])
    messages.success(request, message)
    return HttpResponseRedirect(target or reverse("office:case_detail", args=[pk]))


@require_POST
@case_view
def case_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the requester's details once, for a stated reason, with an audit row."""
    case = case_for_page(request.user, pk)
    if not request.user.has_perm(REVEAL_PERMISSION) or case.is_anonymous:
        raise Http404
    form = RevealForm(request.POST)
    if not form.is_valid():
        return render_case(
            request, case, flash=[("error", _("Please give the reason for revealing."))]
        )
    case_requester_reveal(by=request.user, case=case, reason=form.cleaned_data["reason"])
    flash = [("warning", _("Shown for this page only; your access was recorded."))]
    return render_case(request, case, revealed=True, flash=flash)


@require_GET
@case_view
def clock_explain(request: HttpRequest, pk: int, clock_id: int) -> HttpResponse:
    """How a deadline was computed: policy, counted days, holidays, pauses and extensions."""
    case = case_for_user(request.user, pk)
    clock = (
        Clock.objects.filter(pk=clock_id, owner_type="cases.case", owner_id=case.pk)
        .select_related("policy_version__policy")
        .prefetch_related("pauses", "extensions__approver")
        .first()
    )
    if clock is None:
        raise Http404
    context = {"case": case, "clock": clock, "lines": explain_clock(clock).lines()}
    template = "cases/_explain.html" if request.htmx else "cases/explain.html"
    return render(request, template, context)


@require_GET
@case_view
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    case = case_for_user(request.user, pk)
    attachment = Attachment.objects.filter(pk=attachment_id, case=case).first()
    if attachment is None:
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )


def _receipt_secret(sealed: object) -> str | None:
    if not isinstance(sealed, str) or not sealed:
        return None
    try:
        return unseal(sealed, purpose="receipt").get("secret")
    except SealError:  # sealed under a SECRET_KEY no longer configured
        return None


@require_GET
@case_view
def case_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """受理回执: printable; the tracking secret appears only in the session that registered."""
    case = case_for_page(request.user, pk)
    secret = _receipt_secret(request.session.get(f"receipt_secret_{case.pk}"))
    context = {"case": case, "secret": secret, "requester": requester_view(case, revealed=False)}
    return render(request, "cases/receipt.html", context)
