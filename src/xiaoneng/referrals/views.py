"""The referral import page: upload → preview → confirm with a mode → report; past imports."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xiaoneng.errors import DomainError
from xiaoneng.referrals.forms import ConfirmForm, UploadForm
from xiaoneng.referrals.models import ReferralImport
from xiaoneng.referrals.parsing import COLUMNS, MAX_ROWS, FileRefused
from xiaoneng.referrals.selectors import import_for_user, imports_visible_to
from xiaoneng.referrals.services import (
    PREVIEW_ROWS,
    referral_import_preview,
    referral_import_run,
    referral_upload_store,
)
from xiaoneng.web.permissions import role_required

IMPORTER_ROLES = ("intake", "efficiency_office")
LIST_SIZE = 50
SHOWN_ERRORS = 500


def _list_page(request: HttpRequest, form: UploadForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "imports": list(imports_visible_to(request.user)[:LIST_SIZE]),
        "columns": COLUMNS,
        "max_rows": MAX_ROWS,
    }
    return render(request, "referrals/list.html", context, status=status)


@role_required(*IMPORTER_ROLES)
def import_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, UploadForm())


@require_POST
@role_required(*IMPORTER_ROLES)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        preview = referral_import_preview(file=upload, name=upload.name)
        record = referral_upload_store(by=request.user, upload=upload)
    except FileRefused as exc:
        form.add_error("file", str(exc))
        return _list_page(request, form, status=400)
    except DomainError as exc:
        form.add_error(None, str(exc))
        return _list_page(request, form, status=400)
    context = {
        "record": record,
        "preview": preview,
        "errors": [error.as_list() for error in preview.errors[:SHOWN_ERRORS]],
        "confirm": ConfirmForm(),
        "sample_size": PREVIEW_ROWS,
    }
    return render(request, "referrals/preview.html", context)


@role_required(*IMPORTER_ROLES)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = import_for_user(request.user, pk)
    context = {
        "record": record,
        "errors": record.errors[:SHOWN_ERRORS],
        "confirm": ConfirmForm() if record.status == ReferralImport.Status.PREVIEWED else None,
    }
    return render(request, "referrals/detail.html", context)


@require_POST
@role_required(*IMPORTER_ROLES)
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    record = import_for_user(request.user, pk)
    form = ConfirmForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            referral_import_run(by=request.user, mode=form.cleaned_data["mode"], pending=record)
        except DomainError as exc:
            error = str(exc)
        else:
            return redirect("referrals:detail", pk=record.pk)
    record.refresh_from_db()
    context = {
        "record": record,
        "errors": record.errors[:SHOWN_ERRORS],
        "confirm": form if record.status == ReferralImport.Status.PREVIEWED else None,
        "error": error,
    }
    return render(request, "referrals/detail.html", context, status=400)
