"""The one way an office page hands out a file of records: ask why, check, then produce."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xiaoneng.errors import DomainError
from xiaoneng.security.exports import export_authorize
from xiaoneng.security.forms import ExportReasonForm


def export_with_reason(
    request: HttpRequest,
    *,
    kind: str,
    roles: Iterable[str],
    title: str,
    back: str,
    produce: Callable[[str], HttpResponse],
) -> HttpResponse:
    """GET shows the reason form; a valid POST within the hourly limit calls ``produce`` with
    the reason. ``produce`` watermarks the workbook and records the export (export_record).
    The filters stay in the query string, so the form posts back to the same address."""
    reason_form = ExportReasonForm(request.POST or None)
    if request.method == "POST" and reason_form.is_valid():
        try:
            reason = export_authorize(
                user=request.user,
                reason=reason_form.cleaned_data["reason"],
                kind=kind,
                roles=roles,
            )
        except DomainError as exc:
            reason_form.add_error("reason", str(exc.message))
        else:
            return produce(reason)
    return render(
        request,
        "security/export_reason.html",
        {"form": reason_form, "title": title, "back": back},
    )
