"""The public pages, mounted under the portal (/portal/evaluation/): the questionnaire from a
one-time link, the public questionnaire of a unit behind an SMS code (the QR posters lead
there), the results of approved rounds and the published typical cases. No sign-in; only
public fields: approved results (no free text) and the published text of typical cases."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from xiaoneng.errors import DomainError
from xiaoneng.evaluation.answering import AnswerErrors
from xiaoneng.evaluation.display import questionnaire_rows
from xiaoneng.evaluation.forms import CodeForm, PhoneForm, submitted_answers
from xiaoneng.evaluation.models import Round, RoundUnit, TypicalCase
from xiaoneng.evaluation.selectors import (
    approved_rounds,
    open_public_rounds,
    published_typical,
    round_ranking,
    unit_result,
)
from xiaoneng.evaluation.services import answers

SESSION_KEY = "evaluation_verified"


@login_not_required
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "evaluation/public/index.html",
        {
            "open_rounds": [(r, r.units.order_by("id")) for r in open_public_rounds()[:20]],
            "results": approved_rounds()[:20],
            "typical": published_typical()[:5],
        },
    )


def _questionnaire_page(
    request: HttpRequest,
    *,
    round_: Round,
    round_unit: RoundUnit,
    given: dict[str, list[str]] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "evaluation/public/answer.html",
        {
            "round": round_,
            "round_unit": round_unit,
            "rows": questionnaire_rows(round_.version.items, given, errors),
            "errors": errors,
        },
        status=status,
    )


@login_not_required
@never_cache
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The questionnaire of a one-time link: answered once, then the link is spent."""
    try:
        invite = answers.invitation_check(token)
    except DomainError as error:
        return render(
            request, "evaluation/public/refused.html", {"message": str(error)}, status=410
        )
    if request.method == "POST":
        given = submitted_answers(request.POST)
        try:
            answers.invitation_answer(token=token, submitted=given)
        except AnswerErrors as error:
            return _questionnaire_page(
                request,
                round_=invite.round,
                round_unit=invite.round_unit,
                given=given,
                errors=error.errors,
                status=400,
            )
        except DomainError as error:
            return render(
                request, "evaluation/public/refused.html", {"message": str(error)}, status=410
            )
        return redirect("evaluation_public:thanks")
    return _questionnaire_page(request, round_=invite.round, round_unit=invite.round_unit)


@login_not_required
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "evaluation/public/thanks.html")


def _verified(request: HttpRequest, round_unit: RoundUnit) -> str:
    stored = request.session.get(SESSION_KEY) or {}
    return str(stored.get(str(round_unit.pk), ""))


@login_not_required
@never_cache
def unit(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's public questionnaire: phone → SMS code → the questionnaire (one per phone)."""
    round_unit = get_object_or_404(
        RoundUnit.objects.select_related("round__version"),
        pk=pk,
        round__state=Round.State.OPEN,
        round__public_open=True,
    )
    round_ = round_unit.round
    step = request.POST.get("step", "")
    phone_form, code_form = PhoneForm(), None
    message = ""
    try:
        if step == "send":
            phone_form = PhoneForm(request.POST)
            if phone_form.is_valid():
                answers.public_code_send(
                    round_unit=round_unit, phone=phone_form.cleaned_data["phone"]
                )
                code_form = CodeForm(initial={"phone": phone_form.cleaned_data["phone"]})
        elif step == "verify":
            code_form = CodeForm(request.POST)
            if code_form.is_valid():
                index = answers.public_code_check(
                    round_unit=round_unit,
                    phone=code_form.cleaned_data["phone"],
                    code=code_form.cleaned_data["code"],
                )
                verified = dict(request.session.get(SESSION_KEY) or {})
                verified[str(round_unit.pk)] = index
                request.session[SESSION_KEY] = verified
                return redirect("evaluation_public:unit", pk=pk)
        elif step == "answer" and _verified(request, round_unit):
            given = submitted_answers(request.POST)
            try:
                answers.public_answer(
                    round_unit=round_unit,
                    phone_index=_verified(request, round_unit),
                    submitted=given,
                )
            except AnswerErrors as error:
                return _questionnaire_page(
                    request,
                    round_=round_,
                    round_unit=round_unit,
                    given=given,
                    errors=error.errors,
                    status=400,
                )
            verified = dict(request.session.get(SESSION_KEY) or {})
            verified.pop(str(round_unit.pk), None)
            request.session[SESSION_KEY] = verified
            return redirect("evaluation_public:thanks")
    except DomainError as error:
        message = str(error)
    if _verified(request, round_unit) and not message:
        return _questionnaire_page(request, round_=round_, round_unit=round_unit)
    return render(
        request,
        "evaluation/public/verify.html",
        {
            "round": round_,
            "round_unit": round_unit,
            "phone_form": phone_form,
            "code_form": code_form,
            "message": message,
        },
        status=400 if message else 200,
    )


@login_not_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """An approved round's results: composite and question means; no free text."""
    round_ = get_object_or_404(approved_rounds(), pk=pk)
    ranking = round_ranking(round_)
    details = [unit_result(r.result.round_unit, with_texts=False) for r in ranking]
    return render(
        request,
        "evaluation/public/results.html",
        {"round": round_, "ranking": ranking, "details": details},
    )


@login_not_required
def typical_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "evaluation/public/typical_list.html", {"rows": published_typical()[:100]}
    )


@login_not_required
def typical(request: HttpRequest, pk: int) -> HttpResponse:
    row = published_typical().filter(pk=pk).first()
    if row is None:
        raise Http404
    return render(
        request,
        "evaluation/public/typical.html",
        {"typical": row, "good": row.kind == TypicalCase.Kind.GOOD, "title": _("Typical case")},
    )
