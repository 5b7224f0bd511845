"""Previews on the case page, before anything is sent: the reply as the public will read it,
and the deadline an extension would give.

Each is a POST that changes nothing (the text may hold personal data, so it stays out of URLs
and logs). With htmx the answer is the preview alone, put beside the form; without JavaScript
the case page comes back with the form as typed and the preview in it.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.cases import clocks
from xiaoneng.cases.actions import available_actions
from xiaoneng.cases.forms import ReplyForm, RequestExtensionForm
from xiaoneng.cases.models import Case
from xiaoneng.cases.permissions import case_for_user
from xiaoneng.cases.selectors import case_for_page
from xiaoneng.cases.views.casepage import Bound, reply_preview
from xiaoneng.cases.views.page import render_case
from xiaoneng.errors import DomainError
from xiaoneng.web.permissions import case_view


def _case_for(request: HttpRequest, pk: int, *codes: str) -> tuple[Case, str]:
    """The case in the person's scope and the first of ``codes`` they may take on it now; 404
    otherwise, as for a case out of scope: a preview is for the person about to act."""
    case = case_for_user(request.user, pk)
    offered = available_actions(case, request.user)
    code = next((code for code in codes if code in offered), None)
    if code is None:
        raise Http404
    return case, code


def _answer(
    request: HttpRequest, pk: int, fragment: str, context: dict[str, Any], bound: Bound
) -> HttpResponse:
    if request.htmx:
        return render(request, fragment, context)
    return render_case(request, case_for_page(request.user, pk), bound=bound)


@require_POST
@case_view
def reply_preview_view(request: HttpRequest, pk: int) -> HttpResponse:
    case, code = _case_for(request, pk, "reply", "save_reply_draft")
    form = ReplyForm(request.POST, case=case, user=request.user)
    text = (request.POST.get("text") or "").strip()
    files = [file.name or "" for file in request.FILES.getlist("files")]
    preview = reply_preview(case, text, files) if text else None
    context = {"preview": preview, "empty": not text}
    form.is_valid()  # shown again as typed, with its messages, on the page without htmx
    return _answer(
        request,
        pk,
        "cases/_reply_preview.html",
        context,
        Bound(action=code, form=form, preview=context),
    )


@require_POST
@case_view
def extension_preview_view(request: HttpRequest, pk: int) -> HttpResponse:
    case, code = _case_for(request, pk, "request_extension")
    form = RequestExtensionForm(request.POST, case=case, user=request.user)
    context: dict[str, Any] = {"error": "", "due": None, "new_due": None}
    try:
        extra = int(request.POST.get("extra_units") or "")
    except ValueError:
        context["error"] = _("Enter the extra time as a whole number first.")
    else:
        try:
            due, new_due = clocks.extension_preview(case=case, extra_units=extra)
        except DomainError as exc:
            context["error"] = str(exc)
        else:
            context["due"] = timezone.localtime(due)
            context["new_due"] = timezone.localtime(new_due)
            context["extra"] = extra
    form.is_valid()
    return _answer(
        request,
        pk,
        "cases/_extension_preview.html",
        context,
        Bound(action=code, form=form, preview=context),
    )
