"""Office pages of the rounds: list, new round, the round with its panels and ranking, one
unit's results, the questionnaires. Units' heads see their own unit's results only."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.errors import DomainError
from xiaoneng.evaluation.forms import PanelInviteForm, QuestionForm, QuestionnaireForm, RoundForm
from xiaoneng.evaluation.models import Panel, Question, Questionnaire, Round, RoundUnit
from xiaoneng.evaluation.selectors import (
    RESULT_STATES,
    round_ranking,
    rounds_for,
    sees_all,
    unit_result,
    visible_units,
)
from xiaoneng.evaluation.services import invitations, questionnaires, rounds
from xiaoneng.web.permissions import role_required

READERS = ("efficiency_office", "leader", "dept_head")
BOARD = ("efficiency_office", "leader")


def _round_for(request: HttpRequest, pk: int) -> Round:
    """The round, if the person may see it (404 otherwise: no hint that it exists)."""
    round_ = rounds_for(request.user).filter(pk=pk).first()
    if round_ is None:
        raise Http404
    return round_


@role_required(*READERS)
def round_list(request: HttpRequest) -> HttpResponse:
    return render(request, "evaluation/round_list.html", {"rounds": rounds_for(request.user)[:100]})


@role_required("efficiency_office")
def round_new(request: HttpRequest) -> HttpResponse:
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = rounds.round_create(
                by=request.user,
                title=data["title"],
                version=data["version"],
                period_from=data["period_from"],
                period_to=data["period_to"],
                departments=list(data["departments"]),
                schools=list(data["schools"]),
                named_panels=form.panel_names(),
                sample_size=data["sample_size"],
                min_answers=data["min_answers"],
                link_days=data["link_days"],
                public_open=data["public_open"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return redirect(round_.get_absolute_url())
    return render(request, "evaluation/round_new.html", {"form": form})


@role_required(*READERS)
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round_for(request, pk)
    mine = set(visible_units(request.user, round_).values_list("pk", flat=True))
    ranking = [r for r in round_ranking(round_) if r.result.round_unit.pk in mine]
    return render(
        request,
        "evaluation/round.html",
        {
            "round": round_,
            "ranking": ranking,
            "board": sees_all(request.user),
            "panels": round_.panels.filter(kind=Panel.Kind.NAMED),
            "invite_form": PanelInviteForm(),
            "units": round_.units.order_by("id"),
            "has_results": round_.state in RESULT_STATES,
        },
    )


@require_POST
@role_required("efficiency_office")
def round_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    base_url = request.build_absolute_uri("/")
    try:
        if action == "open":
            rounds.round_open(by=request.user, round_=round_)
        elif action == "close":
            rounds.round_close(by=request.user, round_=round_)
        elif action == "invite":
            n = invitations.recipients_invite(by=request.user, round_=round_, base_url=base_url)
            messages.success(request, _("%(n)d service recipients invited by SMS.") % {"n": n})
        else:
            raise Http404
    except DomainError as error:
        messages.warning(request, str(error))
    return redirect(round_.get_absolute_url())


@require_POST
@role_required("leader")
def round_approve(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    try:
        rounds.round_approve(by=request.user, round_=round_)
    except DomainError as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, _("Results approved; they are now public on the portal."))
    return redirect(round_.get_absolute_url())


@require_POST
@role_required("efficiency_office")
def panel_invite(request: HttpRequest, pk: int, panel_pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    panel = get_object_or_404(Panel, pk=panel_pk, round=round_)
    form = PanelInviteForm(request.POST)
    units = list(round_.units.filter(pk__in=request.POST.getlist("units")))
    if not form.is_valid():
        messages.warning(request, _("Enter the mobile numbers of the panel."))
        return redirect(round_.get_absolute_url())
    try:
        n = invitations.named_panel_invite(
            by=request.user,
            round_=round_,
            panel=panel,
            phones=form.phone_list(),
            units=units,
            base_url=request.build_absolute_uri("/"),
        )
    except DomainError as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, _("%(n)d panel members invited by SMS.") % {"n": n})
    return redirect(round_.get_absolute_url())


@role_required(*READERS)
def unit_results(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    round_ = _round_for(request, pk)
    if round_.state not in RESULT_STATES:
        raise Http404
    round_unit = visible_units(request.user, round_).filter(pk=unit_pk).first()
    if round_unit is None:
        raise Http404
    return render(
        request,
        "evaluation/unit_results.html",
        {"round": round_, "result": unit_result(round_unit)},
    )


@role_required("efficiency_office")
def question_bank(request: HttpRequest) -> HttpResponse:
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            questionnaires.question_create(
                by=request.user,
                code=data["code"],
                kind=data["kind"],
                text_zh=data["text_zh"],
                text_en=data["text_en"],
                options=form.option_list(),
                required=data["required"],
                show_if_question=data["show_if_question"],
                show_if_values=form.value_list(),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Question added to the bank."))
            return redirect("evaluation:questions")
    return render(
        request,
        "evaluation/questions.html",
        {
            "form": form,
            "questions": Question.objects.select_related("show_if_question"),
            "questionnaires": Questionnaire.objects.prefetch_related("versions"),
            "questionnaire_form": QuestionnaireForm(),
        },
    )


@require_POST
@role_required("efficiency_office")
def questionnaire_new(request: HttpRequest) -> HttpResponse:
    form = QuestionnaireForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            questionnaires.questionnaire_create(
                by=request.user,
                name_zh=data["name_zh"],
                name_en=data["name_en"],
                questions=list(data["questions"]),
            )
        except DomainError as error:
            messages.warning(request, str(error))
        else:
            messages.success(request, _("Questionnaire saved as version 1."))
    else:
        messages.warning(request, _("Give the questionnaire a name and choose its questions."))
    return redirect("evaluation:questions")


def unit_of(round_: Round, unit_pk: int) -> RoundUnit:
    return get_object_or_404(RoundUnit, pk=unit_pk, round=round_)
