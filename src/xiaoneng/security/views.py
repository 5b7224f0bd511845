"""Password change, second-factor enrolment and verification, and the lockout response."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import password_validators_help_texts
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from xiaoneng.errors import DomainError
from xiaoneng.security import sessions
from xiaoneng.security.forms import PasswordChangeForm, TokenForm
from xiaoneng.security.otp import (
    otp_enrol_confirm,
    otp_enrol_start,
    otp_has_device,
    otp_qr_svg,
    otp_secret_text,
    otp_verify,
)
from xiaoneng.security.services import password_change, password_changed_at


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("office:home")


@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            update_session_auth_hash(request, request.user)
            changed = password_changed_at(user=request.user)
            request.session[sessions.PASSWORD_AT] = changed.timestamp()
            messages.success(request, _("Your password was changed."))
            return HttpResponseRedirect(_next_url(request))
    context = {
        "form": form,
        "rules": password_validators_help_texts(),
        "next": _next_url(request),
    }
    return render(request, "security/password_change.html", context)


@require_http_methods(["GET", "POST"])
def otp_verify_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    if not otp_has_device(user=request.user):
        url = reverse("security:otp_enrol")
        target = request.GET.get("next")
        return redirect(f"{url}?{urlencode({'next': target})}" if target else url)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = otp_verify(user=request.user, token=form.cleaned_data["token"])
        except DomainError as exc:
            form.add_error("token", str(exc.message))
        else:
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
    return render(request, "security/otp_verify.html", {"form": form, "next": _next_url(request)})


@require_http_methods(["GET", "POST"])
def otp_enrol_view(request: HttpRequest) -> HttpResponse:
    if otp_has_device(user=request.user):
        return redirect("security:otp_verify")
    device = otp_enrol_start(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = otp_enrol_confirm(user=request.user, token=form.cleaned_data["token"])
        except DomainError as exc:
            form.add_error("token", str(exc.message))
        else:
            otp_login(request, device)
            # Shown once: the codes are stored hashed by nobody else and never displayed again.
            return render(
                request,
                "security/otp_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
    context = {
        "form": form,
        "qr": otp_qr_svg(device=device),
        "secret": otp_secret_text(device=device),
        "next": _next_url(request),
    }
    return render(request, "security/otp_enrol.html", context)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """A locked account or address sees the same page as a wrong password: nothing tells an
    attacker which usernames exist or that the lock is on."""
    if original_response is not None and original_response.status_code == 200:
        return original_response
    from django.contrib.auth.forms import AuthenticationForm

    form = AuthenticationForm(request)
    message = form.error_messages["invalid_login"] % {"username": form.username_field.verbose_name}
    return render(request, "office/login.html", {"form": form, "login_error": message, "next": ""})
