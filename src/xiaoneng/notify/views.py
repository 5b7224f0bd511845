"""The in-app inbox: every signed-in person sees and marks only their own messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xiaoneng.errors import DomainError
from xiaoneng.notify.forms import ChannelPreferenceForm
from xiaoneng.notify.models import Notification
from xiaoneng.notify.selectors import channel_preference_of, inbox_for
from xiaoneng.notify.services import (
    channel_preference_set,
    notification_mark_read,
    notifications_mark_all_read,
)
from xiaoneng.privacy import mask_email

PAGE_SIZE = 20


def _back(request: HttpRequest) -> HttpResponseRedirect:
    """To ``next`` when it is a safe address on this site, else back to the inbox page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    url = reverse("notify:inbox")
    page = request.POST.get("page", "")
    return HttpResponseRedirect(f"{url}?page={page}" if page.isdigit() else url)


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(inbox_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {"page": page})


@require_POST
def inbox_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's message is as absent as one that does not exist.
    notification = get_object_or_404(
        Notification, pk=pk, recipient_user=request.user, channel=Notification.Channel.INBOX
    )
    notification_mark_read(notification=notification, user=request.user)
    return _back(request)


@require_POST
def inbox_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    if count:
        messages.success(
            request,
            ngettext("%(count)d message marked read.", "%(count)d messages marked read.", count)
            % {"count": count},
        )
    return redirect("notify:inbox")


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own channel preference: there is no way to name anyone else's."""
    current = channel_preference_of(user=request.user)
    if request.method == "POST":
        form = ChannelPreferenceForm(request.POST)
        if form.is_valid():
            try:
                channel_preference_set(
                    user=request.user,
                    sms=form.cleaned_data["sms"],
                    email=form.cleaned_data["email"],
                    mobile=form.cleaned_data["mobile"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Your notification settings were saved."))
                return redirect("notify:preferences")
    else:
        form = ChannelPreferenceForm(
            initial={"sms": current.sms, "email": current.email, "mobile": current.mobile}
        )
    email = request.user.email
    return render(
        request,
        "notify/preferences.html",
        {"form": form, "email": mask_email(email) if email else ""},
    )
