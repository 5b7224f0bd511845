"""Office pages: service guides and commitments (edit, preview, publish). The application pages
under a guide are in the applications app (``applications/views/office.py``).

Thin views: parse the form, call one service, show its refusal next to the field it names.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from xiaoneng.catalog import office_forms as f
from xiaoneng.catalog.guide_selectors import (
    commitments_latest,
    commitments_published,
    guide_items_list,
    guide_latest_version,
    guide_published_version,
)
from xiaoneng.catalog.guide_services import (
    GUIDE_FIELDS,
    commitments_draft_save,
    commitments_publish,
    guide_draft_save,
    guide_item_create,
    guide_publish,
)
from xiaoneng.catalog.guides import (
    CommitmentVersion,
    PublishStatus,
    ServiceItem,
    ServiceItemVersion,
)
from xiaoneng.errors import DomainError
from xiaoneng.org.models import Unit
from xiaoneng.org.roles import Role
from xiaoneng.web.permissions import CASE_ROLES, role_required

READERS = (Role.SYSADMIN, *CASE_ROLES)


def _field_error(form: forms.Form, error: DomainError) -> None:
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


# -- guides --------------------------------------------------------------------------------------


@role_required(*READERS)
def guide_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/guide_list.html", {"items": guide_items_list()})


@role_required(Role.SYSADMIN)
def guide_new(request: HttpRequest) -> HttpResponse:
    form = f.ServiceItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = guide_item_create(by=request.user, **form.cleaned_data)
        except DomainError as error:
            _field_error(form, error)
        else:
            return redirect("catalog:guide_edit", item.pk)
    return render(request, "catalog/guide_new.html", {"form": form})


@role_required(Role.SYSADMIN)
def guide_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ServiceItem, pk=pk)
    latest = guide_latest_version(item=item)
    initial = {}
    if latest is not None:
        initial = {name: getattr(latest, name) for name in GUIDE_FIELDS}
        materials = list(latest.materials.all())
        initial["materials"] = f.materials_to_text(materials)
        initial["materials_en"] = f.materials_en_to_text(materials)
    form = f.GuideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in GUIDE_FIELDS}
        rows = form.cleaned_data["material_rows"]
        try:
            with transaction.atomic():
                draft = guide_draft_save(item=item, fields=data, materials=rows, by=request.user)
                if request.POST.get("action") == "publish":
                    guide_publish(version=draft, by=request.user)
        except DomainError as error:
            _field_error(form, error)
        else:
            published = request.POST.get("action") == "publish"
            messages.success(
                request,
                gettext("The guide was published.") if published else gettext("Draft saved."),
            )
            return redirect("catalog:guide_preview", draft.pk)
    return render(
        request,
        "catalog/guide_edit.html",
        {
            "item": item,
            "form": form,
            "latest": latest,
            "published": guide_published_version(item=item),
        },
    )


@role_required(*READERS)
def guide_preview(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(
        ServiceItemVersion.objects.select_related("item__unit", "item__department"), pk=pk
    )
    return render(
        request,
        "catalog/guide_preview.html",
        {
            "version": version,
            "materials": version.materials.all(),
            "is_draft": version.status == PublishStatus.DRAFT,
        },
    )


@require_POST
@role_required(Role.SYSADMIN)
def guide_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(ServiceItemVersion, pk=pk)
    try:
        guide_publish(version=version, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("The guide was published."))
    return redirect("catalog:guide_preview", version.pk)


# -- commitments ---------------------------------------------------------------------------------


@role_required(*READERS)
def commitments_list(request: HttpRequest) -> HttpResponse:
    units = Unit.objects.filter(is_active=True).order_by("sort_order", "pk")
    rows = [(unit, commitments_published(unit_id=unit.pk)) for unit in units]
    return render(request, "catalog/commitments_list.html", {"rows": rows})


@role_required(Role.SYSADMIN)
def commitments_edit(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_pk)
    latest = commitments_latest(unit_id=unit.pk)
    initial = {"title": f"{unit.name}服务承诺"}
    if latest is not None:
        entries = list(latest.entries.all())
        initial = {
            "title": latest.title,
            "entries": "\n".join(e.text for e in entries),
            "title_en": latest.title_en,
            "entries_en": "\n".join(e.text_en for e in entries).rstrip("\n"),
        }
    form = f.CommitmentsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                draft = commitments_draft_save(
                    unit=unit,
                    title=form.cleaned_data["title"],
                    entries=form.cleaned_data["entries"].splitlines(),
                    title_en=form.cleaned_data["title_en"],
                    entries_en=form.cleaned_data["entries_en"].splitlines(),
                    by=request.user,
                )
                if request.POST.get("action") == "publish":
                    commitments_publish(version=draft, by=request.user)
        except DomainError as error:
            _field_error(form, error)
        else:
            messages.success(request, gettext("The commitments were saved."))
            return redirect("catalog:commitments_edit", unit.pk)
    preview = latest if latest is not None else None
    return render(
        request,
        "catalog/commitments_edit.html",
        {"unit": unit, "form": form, "preview": preview, "draft_status": PublishStatus.DRAFT},
    )


@require_POST
@role_required(Role.SYSADMIN)
def commitments_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(CommitmentVersion, pk=pk)
    try:
        commitments_publish(version=version, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("The commitments were published."))
    return redirect("catalog:commitments_edit", version.unit_id)
