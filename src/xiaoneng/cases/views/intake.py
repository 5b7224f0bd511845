"""首问登记: the first-contact officer registers a request, then answers or dispatches it."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoneng.cases.selectors import possible_duplicates
from xiaoneng.cases.services import attachment_add, case_register
from xiaoneng.cases.urgency import urgency_question
from xiaoneng.cases.views.forms import IntakeForm
from xiaoneng.cases.views.sections import duplicate_finder
from xiaoneng.errors import DomainError
from xiaoneng.org.roles import Role
from xiaoneng.sealing import seal
from xiaoneng.web.permissions import role_required

INTAKE_ROLES = (Role.INTAKE, Role.HANDLER, Role.DEPT_HEAD, Role.EFFICIENCY_OFFICE)


def _duplicates(phone: str, content: str) -> list:
    finder = duplicate_finder()
    if finder is not None:
        return finder[0](text=content, phone=phone.strip())
    found = {}
    if phone.strip():
        for case in possible_duplicates(phone=phone.strip()):
            found[case.pk] = case
    if content.strip():
        for case in possible_duplicates(content=content):
            found.setdefault(case.pk, case)
    return list(found.values())[:10]


def _hint() -> dict[str, str]:
    """The template of the duplicate hint: the registered finder's, else the engine's own."""
    finder = duplicate_finder()
    return {"duplicates_template": finder[1]} if finder is not None else {}


@role_required(*INTAKE_ROLES)
def intake(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "cases/intake.html", {"form": IntakeForm(), **_hint()})
    form = IntakeForm(request.POST, request.FILES)
    duplicates: list = []
    if form.is_valid():
        data = form.cleaned_data
        duplicates = _duplicates(data["requester_phone"], data["content"])
        if duplicates and not data["duplicate_checked"]:
            form.add_error(
                "duplicate_checked",
                _("Similar requests arrived in the last 90 days; look at them and confirm."),
            )
        elif (
            question := urgency_question(
                kind=data["kind"],
                category=data["category"],
                text=f"{data['title']} {data['content']}",
            )
        ) and not (data["urgent"] or data["urgency_checked"]):
            # The suggestion, for the registrar to confirm or decline (one more submit).
            form.data = form.data.copy()
            form.data["urgency_checked"] = "on"
            form.add_error("urgent", question)
        else:
            try:
                with transaction.atomic():
                    registered = case_register(
                        by=request.user,
                        channel=data["channel"],
                        kind=data["kind"],
                        category=data["category"],
                        title=data["title"],
                        content=data["content"],
                        unit_concerned=data["unit_concerned"],
                        person_concerned=data["person_concerned"],
                        requester_name=data["requester_name"],
                        requester_phone=data["requester_phone"],
                        requester_email=data["requester_email"],
                        is_anonymous=data["is_anonymous"],
                        consent_publish=data["consent_publish"],
                        external_number=data["external_number"],
                        urgent=data["urgent"],
                    )
                    if registered.created:
                        for file in data["attachments"]:
                            attachment_add(case=registered.case, file=file, by=request.user)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                case = registered.case
                if registered.tracking_secret:
                    # Shown on the receipt of this session only; the database keeps a hash,
                    # and the session (a table row too) keeps it sealed.
                    request.session[f"receipt_secret_{case.pk}"] = seal(
                        {"secret": registered.tracking_secret}, purpose="receipt"
                    )
                    messages.success(
                        request,
                        _("Registered as %(number)s, tracking code %(code)s.")
                        % {"number": case.number, "code": case.tracking_code},
                    )
                else:
                    messages.warning(
                        request,
                        _("This request was registered before as %(number)s.")
                        % {"number": case.number},
                    )
                return HttpResponseRedirect(reverse("office:case_detail", args=[case.pk]))
    context = {"form": form, "duplicates": duplicates, **_hint()}
    return render(request, "cases/intake.html", context, status=200)


@role_required(*INTAKE_ROLES)
def intake_duplicates(request: HttpRequest) -> HttpResponse:
    """The duplicate hint, refreshed by htmx while the officer types."""
    duplicates = _duplicates(request.GET.get("requester_phone", ""), request.GET.get("content", ""))
    return render(request, "cases/_duplicates.html", {"duplicates": duplicates, **_hint()})
