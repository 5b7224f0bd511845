"""The public portal's pages. Every view is public; each one parses, calls, renders."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xiaoneng.cases.models import Case, Category
from xiaoneng.cases.services import case_rate
from xiaoneng.cases.services.public import public_submit
from xiaoneng.errors import DomainError
from xiaoneng.portal import ratelimit
from xiaoneng.portal.attachments import check_files, max_file_size, max_files
from xiaoneng.portal.forms import RateForm, SubmitForm, TrackForm
from xiaoneng.portal.receipt import ReceiptLinkError, receipt_data, receipt_pdf, receipt_shown
from xiaoneng.portal.selectors import case_find_for_tracking, portal_contacts, results_page
from xiaoneng.portal.tracking import (
    TOKEN_DAYS,
    TrackingLinkError,
    case_for_token,
    track_token,
    tracking_page_parts,
)

# Kept only to clear what older versions put in a visitor's session.
SESSION_CASE = "portal_case"
SESSION_RECEIPT = "portal_receipt"


def _too_many(request: HttpRequest, verdict: ratelimit.Verdict) -> HttpResponse:
    response = render(request, "portal/too_many.html", status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"contacts": portal_contacts()})


def _submit_refused(
    request: HttpRequest, form: SubmitForm, message: str, *, status: int
) -> HttpResponse:
    """The form again with everything the person typed and one clear message on top."""
    if not hasattr(form, "cleaned_data"):
        form.full_clean()
    form.add_error(None, message)
    return render(request, "portal/submit.html", {"form": form}, status=status)


def _retry_time(seconds: int) -> str:
    """When to try again, in the site's time zone: the hour today, with the date otherwise."""
    at = timezone.localtime(timezone.now() + timedelta(seconds=seconds))
    if at.date() == timezone.localdate():
        return date_format(at, "H:i")
    return date_format(at, "Y-m-d H:i")


@login_not_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        form = SubmitForm(initial={"kind": request.GET.get("kind", "complaint")})
        return render(request, "portal/submit.html", {"form": form})
    limit = max_files() * max_file_size() + 256 * 1024
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
        # The typed fields are kept; the files are dropped unread (Django has spooled them to
        # temporary files, removed at the end of the request).
        message = _("Attachments too large: each file at most %(size)d MB.") % {
            "size": max_file_size() // (1024 * 1024)
        }
        return _submit_refused(request, SubmitForm(request.POST), message, status=413)
    form = SubmitForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "portal/submit.html", {"form": form}, status=400)
    data = form.cleaned_data
    if data["website"]:
        # A robot filled the hidden field: answer plainly and keep nothing.
        form.add_error(None, _("Your request could not be accepted. Please try again."))
        return render(request, "portal/submit.html", {"form": form}, status=400)
    phone = "" if data["is_anonymous"] else data["requester_phone"]
    verdict = ratelimit.submit_allowance(request, phone=phone)
    if not verdict.allowed:
        message = _("Too many submissions. Please try again after %(time)s.") % {
            "time": _retry_time(verdict.retry_after)
        }
        response = _submit_refused(request, form, message, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    try:
        checked = check_files(data["attachments"])
        registered = public_submit(
            kind=data["kind"],
            category=data["category"],
            content=data["content"],
            title=data["title"],
            unit_concerned=data["unit_concerned"],
            person_concerned=data["person_concerned"],
            requester_name=data["requester_name"],
            requester_phone=data["requester_phone"],
            requester_email=data["requester_email"],
            is_anonymous=data["is_anonymous"],
            consent_publish=data["consent_publish"],
            urgent=data["urgent"],
            files=checked,
        )
    except DomainError as exc:
        form.add_error(None, str(exc))
        return render(request, "portal/submit.html", {"form": form}, status=400)
    ratelimit.submit_counted(request, phone=phone)
    request.session.cycle_key()
    request.session[SESSION_RECEIPT] = receipt_data(registered)
    return redirect("portal:receipt")


@login_not_required
@require_GET
def receipt(request: HttpRequest) -> HttpResponse:
    data = request.session.pop(SESSION_RECEIPT, None)
    if data is None:
        return redirect("portal:track")
    data = receipt_shown(data)
    context = {"receipt": data, "track_url": _track_url(data.get("case"), data)}
    response = render(request, "portal/receipt.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _track_url(pk: object, data: dict[str, object]) -> str:
    """The signed tracking link of the case just submitted (no session needed to follow it)."""
    if not isinstance(pk, int):
        return reverse("portal:track")
    try:
        case = Case.objects.only("pk", "tracking_secret_hash").get(pk=pk)
    except Case.DoesNotExist:
        return reverse("portal:track")
    return f"{reverse('portal:track_detail')}?t={track_token(case)}"


@login_not_required
@require_GET
def receipt_pdf_view(request: HttpRequest) -> HttpResponse:
    """The receipt as PDF, from the signed link on the receipt page (valid for an hour)."""
    try:
        rendered = receipt_pdf(request.GET.get("r", "")[:2000])
    except ReceiptLinkError:
        message = _(
            "This link to the receipt is not valid or has expired (it works for an hour after "
            "submitting). Your tracking code and secret still lead to your request."
        )
        return render(request, "portal/link_refused.html", {"message": message}, status=400)
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=rendered.filename
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _tracked_page(
    request: HttpRequest, case: Case, *, rate_form: RateForm | None = None, status: int = 200
) -> HttpResponse:
    """The track page of ``case``: its cached public parts, its signed link, the rating form."""
    page, parts = tracking_page_parts(case)
    context = {
        "t": page,
        "parts": parts,
        "token": track_token(case),
        "token_days": TOKEN_DAYS,
        # Only a page whose rating window is open shows the form (``t.can_rate``).
        "rate_form": rate_form or (RateForm() if page.rating_open else None),
        "contacts": page.contacts,
        "site_contacts": page.contacts,
    }
    response = render(request, "portal/track_detail.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """The lookup: code and secret (or the phone's last four digits) posted, the request's page
    answered at once. No redirect and no session: the page carries its own signed link."""
    if request.method == "GET":
        return render(request, "portal/track.html", {"form": TrackForm()})
    verdict = ratelimit.hit(request, "track")
    if not verdict.allowed:
        return _too_many(request, verdict)
    form = TrackForm(request.POST)
    if form.is_valid():
        case = case_find_for_tracking(
            code=form.cleaned_data["code"],
            secret=form.cleaned_data["secret"],
            phone_last4=form.cleaned_data["phone_last4"],
        )
        if case is not None:
            return _tracked_page(request, case)
        # The same words for an unknown code and a wrong secret: nothing is revealed.
        form = TrackForm(initial={"code": form.cleaned_data["code"]})
        return render(request, "portal/track.html", {"form": form, "not_found": True})
    return render(request, "portal/track.html", {"form": form})


def _refused_link(request: HttpRequest, error: TrackingLinkError) -> HttpResponse:
    context = {"form": TrackForm(), "link_error": str(error)}
    return render(request, "portal/track.html", context, status=400)


@login_not_required
@require_GET
def track_detail(request: HttpRequest) -> HttpResponse:
    """The page of a tracked request from its signed link (bookmarked, refreshed, or after
    rating)."""
    token = request.GET.get("t", "")[:500]
    if not token:
        return redirect("portal:track")
    try:
        case = case_for_token(token, whole=False)
    except TrackingLinkError as error:
        return _refused_link(request, error)
    return _tracked_page(request, case)


@login_not_required
@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    verdict = ratelimit.hit(request, "rate")
    if not verdict.allowed:
        return _too_many(request, verdict)
    token = request.POST.get("t", "")[:500]
    if not token:
        return redirect("portal:track")
    try:
        case = case_for_token(token)
    except TrackingLinkError as error:
        return _refused_link(request, error)
    form = RateForm(request.POST)
    if not form.is_valid():
        return _tracked_page(request, case, rate_form=form, status=400)
    try:
        case_rate(
            case=case,
            satisfaction=form.cleaned_data["satisfaction"],
            resolved=form.cleaned_data["resolved"],
            comment=form.cleaned_data["comment"],
            by=None,
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you. Your rating has been recorded."))
    return redirect(f"{reverse('portal:track_detail')}?t={track_token(case)}")


@login_not_required
@require_POST
def track_leave(request: HttpRequest) -> HttpResponse:
    if SESSION_CASE in request.session:
        request.session.pop(SESSION_CASE, None)
    return redirect("portal:home")


@login_not_required
@require_GET
def results(request: HttpRequest) -> HttpResponse:
    category = request.GET.get("category", "")[:32]
    page = results_page(page=request.GET.get("page", 1), category=category)
    context = {
        "page": page,
        "categories": Category.objects.filter(is_active=True),
        "category": category,
        "contacts": portal_contacts(),
    }
    return render(request, "portal/results.html", context)
