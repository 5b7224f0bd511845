"""The unit's reply templates and snippets (一次性告知, legal bases), kept by its department
heads: a list with the form for a new one, an edit page, and removal. Each change is one
audited service call (cases/services/replies.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from xiaoneng.cases.models import Category, ReplyTemplate
from xiaoneng.cases.models_reply import MAX_TEMPLATE_BODY
from xiaoneng.cases.services.replies import (
    may_edit_templates,
    reply_template_delete,
    reply_template_save,
)
from xiaoneng.errors import DomainError
from xiaoneng.org.models import Staff
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import staff_for
from xiaoneng.web.forms import OfficeForm
from xiaoneng.web.permissions import role_required


class ReplyTemplateForm(OfficeForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ReplyTemplate.Kind.choices)
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        empty_label=gettext_lazy("Every category"),
        help_text=gettext_lazy("Offered on the cases of this category only."),
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=80)
    body = forms.CharField(
        label=gettext_lazy("Text"),
        max_length=MAX_TEMPLATE_BODY,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


def _editor(request: HttpRequest) -> Staff:
    """The signed-in department head who keeps their unit's templates (else 403)."""
    staff = staff_for(request.user)
    if staff is None or not may_edit_templates(staff, staff.unit_id):
        raise PermissionDenied
    return staff


def template_for_editor(request: HttpRequest, pk: int) -> tuple[Staff, ReplyTemplate]:
    """The one helper that fetches a template for its editor: their own unit's, else 404."""
    staff = _editor(request)
    template = ReplyTemplate.objects.filter(pk=pk, unit_id=staff.unit_id).first()
    if template is None:
        raise Http404
    return staff, template


def _save(request: HttpRequest, form: ReplyTemplateForm, staff: Staff, **kw: Any) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        reply_template_save(
            by=request.user,  # type: ignore[arg-type]  # signed in
            unit=staff.unit,
            kind=data["kind"],
            category=data["category"],
            title=data["title"],
            body=data["body"],
            **kw,
        )
    except DomainError as exc:
        form.add_error(None, str(exc))
        return False
    return True


@require_http_methods(["GET", "POST"])
@role_required(Role.DEPT_HEAD)
def reply_templates(request: HttpRequest) -> HttpResponse:
    staff = _editor(request)
    form = ReplyTemplateForm(request.POST or None)
    if request.method == "POST" and _save(request, form, staff):
        messages.success(request, _("Template saved; handlers of your unit see it now."))
        return HttpResponseRedirect(reverse("office:reply_templates"))
    templates = (
        ReplyTemplate.objects.filter(unit_id=staff.unit_id)
        .select_related("category", "updated_by__user")
        .order_by("kind", "category_id", "title", "id")
    )
    context = {"form": form, "templates": templates, "unit": staff.unit}
    return render(
        request, "cases/reply_templates.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.DEPT_HEAD)
def reply_template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff, template = template_for_editor(request, pk)
    initial = {
        "kind": template.kind,
        "category": template.category_id,
        "title": template.title,
        "body": template.body,
    }
    form = ReplyTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and _save(request, form, staff, template=template):
        messages.success(request, _("Template saved; handlers of your unit see it now."))
        return HttpResponseRedirect(reverse("office:reply_templates"))
    context = {"form": form, "template": template}
    status = 400 if form.errors else 200
    return render(request, "cases/reply_template_edit.html", context, status=status)


@require_POST
@role_required(Role.DEPT_HEAD)
def reply_template_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _staff, template = template_for_editor(request, pk)
    reply_template_delete(by=request.user, template=template)  # type: ignore[arg-type]
    messages.success(request, _("Template removed."))
    return HttpResponseRedirect(reverse("office:reply_templates"))
