"""Office pages of the webhooks: endpoints (create, deactivate, rotate) and the delivery log.

A newly generated secret is rendered in the response to the POST that made it, never stored in
the session or shown again; the response is marked ``no-store``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from xiaoneng.errors import DomainError
from xiaoneng.org.models import Unit
from xiaoneng.org.roles import Role
from xiaoneng.web.forms import OfficeForm
from xiaoneng.web.permissions import role_required
from xiaoneng.webhooks.events import EVENT_TYPES
from xiaoneng.webhooks.models import WebhookDelivery, WebhookEndpoint
from xiaoneng.webhooks.selectors import webhook_deliveries, webhook_endpoints
from xiaoneng.webhooks.services import (
    webhook_delivery_retry,
    webhook_endpoint_create,
    webhook_endpoint_deactivate,
    webhook_endpoint_rotate_secret,
)

MANAGER = Role.SYSADMIN  # see xiaoneng.webhooks.services for why the sysadmin alone


class EndpointForm(OfficeForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.CharField(
        label=_("URL"),
        max_length=500,
        help_text=_("https:// required (http only for localhost or in DEBUG mode)."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Event types"),
        choices=list(EVENT_TYPES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to receive every case event."),
    )
    unit = forms.ModelChoiceField(
        label=_("Only cases of unit"),
        queryset=Unit.objects.order_by("code"),
        required=False,
        empty_label=_("All units"),
    )


def _secret_page(request: HttpRequest, endpoint: WebhookEndpoint, secret: str) -> HttpResponse:
    response = render(request, "webhooks/secret.html", {"endpoint": endpoint, "secret": secret})
    add_never_cache_headers(response)
    return response


@role_required(MANAGER)
def endpoint_list(request: HttpRequest) -> HttpResponse:
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = webhook_endpoint_create(
                by=request.user,
                name=form.cleaned_data["name"],
                url=form.cleaned_data["url"],
                event_types=form.cleaned_data["event_types"],
                unit=form.cleaned_data["unit"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            return _secret_page(request, endpoint, secret)
    return render(
        request,
        "webhooks/endpoints.html",
        {"endpoints": webhook_endpoints(), "form": form, "event_labels": EVENT_TYPES},
    )


@require_POST
@role_required(MANAGER)
def endpoint_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    try:
        webhook_endpoint_deactivate(endpoint=endpoint, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, gettext("The endpoint is deactivated."))
    return HttpResponseRedirect(reverse("webhooks:endpoint_list"))


@require_POST
@role_required(MANAGER)
def endpoint_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    try:
        secret = webhook_endpoint_rotate_secret(endpoint=endpoint, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("webhooks:endpoint_list"))
    return _secret_page(request, endpoint, secret)


@role_required(MANAGER)
def delivery_log(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in WebhookDelivery.Status.values:
        status = ""
    try:
        endpoint_id: int | None = int(request.GET.get("endpoint", ""))
    except ValueError:
        endpoint_id = None
    rows = webhook_deliveries(status=status, endpoint_id=endpoint_id)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "webhooks/deliveries.html",
        {
            "page": page,
            "status": status,
            "endpoint_id": endpoint_id,
            "statuses": WebhookDelivery.Status.choices,
        },
    )


@require_POST
@role_required(MANAGER)
def delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    try:
        webhook_delivery_retry(delivery=delivery, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, gettext("The delivery will be sent again on the next run."))
    return HttpResponseRedirect(reverse("webhooks:delivery_log") + "?status=failed")
