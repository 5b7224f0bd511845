"""Office pages of the typical cases and good practices: list, draft (from a violation or a
case), the case with its approve, publish and withdraw buttons."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.accountability.models import Violation
from xiaoneng.cases.models import Case
from xiaoneng.errors import DomainError
from xiaoneng.evaluation.forms import TypicalForm, WithdrawForm
from xiaoneng.evaluation.models import TypicalCase
from xiaoneng.evaluation.selectors import typical_for
from xiaoneng.evaluation.services import typical as service
from xiaoneng.web.permissions import role_required

BOARD = ("efficiency_office", "leader")


@role_required(*BOARD)
def typical_list(request: HttpRequest) -> HttpResponse:
    rows = typical_for(request.user)[:100]
    return render(request, "evaluation/typical_list.html", {"rows": rows})


def _source(request: HttpRequest) -> tuple[Violation | None, Case | None]:
    violation_id = request.GET.get("violation", "")
    case_number = request.GET.get("case", "").strip()
    violation = (
        Violation.objects.select_related("case").filter(pk=violation_id).first()
        if violation_id.isdigit()
        else None
    )
    case = Case.objects.filter(number=case_number).first() if case_number else None
    return violation, case


@role_required("efficiency_office")
def typical_new(request: HttpRequest) -> HttpResponse:
    violation, case = _source(request)
    kind = TypicalCase.Kind.TYPICAL if violation is not None else TypicalCase.Kind.GOOD
    initial = {"kind": kind}
    if violation is not None:
        initial["facts"] = violation.description_label
    form = TypicalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            typical = service.typical_draft(
                by=request.user,
                kind=data["kind"],
                title=data["title"],
                facts=data["facts"],
                handling=data["handling"],
                lesson=data["lesson"],
                violation=violation,
                case=case,
                name_unit=data["name_unit"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Draft saved; personal data has been removed."))
            return redirect(typical.get_absolute_url())
    return render(
        request,
        "evaluation/typical_new.html",
        {"form": form, "violation": violation, "case": case, "query": request.GET.urlencode()},
    )


@role_required(*BOARD)
def typical_page(request: HttpRequest, pk: int) -> HttpResponse:
    typical = get_object_or_404(typical_for(request.user), pk=pk)
    return render(
        request, "evaluation/typical.html", {"typical": typical, "withdraw_form": WithdrawForm()}
    )


@require_POST
@role_required(*BOARD)
def typical_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    typical = get_object_or_404(TypicalCase, pk=pk)
    try:
        if action == "approve":
            service.typical_approve(by=request.user, typical=typical)
        elif action == "publish":
            service.typical_publish(by=request.user, typical=typical)
        elif action == "withdraw":
            service.typical_withdraw(
                by=request.user, typical=typical, reason=request.POST.get("reason", "")
            )
        else:
            raise Http404
    except DomainError as error:
        messages.warning(request, str(error))
    return redirect(typical.get_absolute_url())
