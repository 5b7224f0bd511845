"""The Open311 GeoReport v2 endpoints (http://wiki.open311.org/GeoReport_v2). Public; POST needs
an api_key. Every endpoint answers in JSON or XML after the path's format suffix."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from xiaoneng.cases.models import Category, Channel, Kind
from xiaoneng.cases.services.intake import MAX_CONTENT
from xiaoneng.cases.services.public import public_submit
from xiaoneng.errors import DomainError
from xiaoneng.org.models import Unit
from xiaoneng.portal import open311, ratelimit
from xiaoneng.portal.open311 import Open311Error, render, render_error
from xiaoneng.portal.selectors import portal_contacts
from xiaoneng.portal.services import open311_key_check

CHANGESET = "2026-01-01T00:00:00+08:00"
# The longest value each free-text parameter may carry; longer is refused, never cut.
MAX_LENGTHS = {
    "description": MAX_CONTENT,
    "address_string": 200,
    "first_name": 32,
    "last_name": 32,
    "phone": 32,
    "email": 254,
}


def _check_jurisdiction(request: HttpRequest) -> None:
    expected = getattr(settings, "XIAONENG_OPEN311_JURISDICTION", "")
    given = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or ""
    if expected and given and given != expected:
        raise Open311Error(404, _("Unknown jurisdiction_id."))


def _refuse_nul(params: QueryDict, path: dict[str, Any]) -> None:
    """PostgreSQL stores no NUL character and the portal and the API refuse them: so does
    every Open311 parameter, with a 400 naming it instead of a database error."""
    named = [(name, value) for name, values in params.lists() for value in values]
    named += [(name, value) for name, value in path.items() if isinstance(value, str)]
    for name, value in named:
        if "\x00" in value or "\x00" in name:
            raise Open311Error(
                400,
                _("%(name)s must not contain NUL characters.") % {"name": name.replace("\x00", "")},
            )


def endpoint(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
    """Public, answers Open311 errors in the spec's format, in the requested format."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        try:
            _refuse_nul(request.GET, kwargs)
            _check_jurisdiction(request)
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as error:
            return render_error(error, fmt)
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
            # Django refused the body before it was read: nothing was stored.
            return render_error(Open311Error(413, _("The request is too large.")), fmt)

    return login_not_required(wrapper)


@endpoint
@require_GET
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    contacts = portal_contacts()
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt}))
    base = base.rsplit("/", 1)[0] + "/"
    data = {
        "changeset": CHANGESET,
        "contact": " ".join(
            part for part in (contacts.supervising_body, contacts.supervision_phone) if part
        ),
        "key_service": _("Ask the efficiency office for an api_key."),
        "endpoints": [
            {
                "specification": open311.SPEC_URL,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return render(data, fmt, root="discovery")


@endpoint
@require_GET
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    return render(open311.services(), fmt, root="services")


@endpoint
@require_GET
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    category = open311.service_category(service_code)
    return render(open311.service_definition(category), fmt, root="service_definition")


@csrf_exempt
@endpoint
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, fmt)
    rows = open311.request_rows(open311.find_requests(request.GET))
    return render(rows, fmt, root="service_requests")


def _text(data: Any, name: str) -> str:
    """A free-text parameter, stripped; a 400 for more than its maximum, as the portal and the
    API refuse it (a silent cut would lose what the person wrote)."""
    value = data.get(name, "").strip()
    if len(value) > MAX_LENGTHS[name]:
        raise Open311Error(
            400,
            _("%(name)s is too long (at most %(max)d characters).")
            % {"name": name, "max": MAX_LENGTHS[name]},
        )
    return value


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    verdict = ratelimit.hit(request, "open311_post")
    if not verdict.allowed:
        response = render_error(Open311Error(429, _("Too many requests.")), fmt)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    data = request.POST
    _refuse_nul(data, {})
    if open311_key_check(data.get("api_key", "")) is None:
        raise Open311Error(403, _("A valid api_key is required."))
    code = data.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code is required."))
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise Open311Error(400, _("No service has this service_code."))
    kind = data.get("attribute[kind]", Kind.COMPLAINT) or Kind.COMPLAINT
    if kind not in {k.value for k in open311.OPEN311_KINDS}:
        raise Open311Error(400, _("attribute[kind] is not one of the listed values."))
    unit = None
    if data.get("attribute[unit]"):
        unit = Unit.objects.filter(code=data["attribute[unit]"], is_active=True).first()
        if unit is None:
            raise Open311Error(400, _("attribute[unit] is not one of the listed values."))
    description = _text(data, "description")
    where = _text(data, "address_string")
    if where:
        description = f"{description}\n{_('Place')}: {where}".strip()
    name = f"{_text(data, 'last_name')}{_text(data, 'first_name')}"
    try:
        registered = public_submit(
            channel=Channel.OPEN311,
            kind=kind,
            category=category,
            content=description,
            unit_concerned=unit,
            requester_name=name,
            requester_phone=_text(data, "phone"),
            requester_email=_text(data, "email"),
            consent_publish=data.get("attribute[consent_publish]", "") == "true",
            urgent=data.get("attribute[urgent]", "") == "true",
        )
    except DomainError as exc:
        raise Open311Error(400, str(exc)) from None
    case = registered.case
    notice = ""
    if registered.tracking_secret:
        with override("zh-hans"):
            notice = _(
                "Registered as %(number)s. Tracking code %(code)s, secret %(secret)s: keep "
                "them to follow the request on the public site."
            ) % {
                "number": case.number,
                "code": case.tracking_code,
                "secret": registered.tracking_secret,
            }
    rows = [
        {
            "service_request_id": case.number,
            "token": case.tracking_code,
            "service_notice": notice,
            "account_id": None,
        }
    ]
    return render(rows, fmt, root="service_requests", status=201 if registered.created else 200)


@endpoint
@require_GET
def request_detail(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    case = open311.find_request(service_request_id)
    return render(open311.request_rows([case]), fmt, root="service_requests")


@endpoint
@require_GET
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    return render(open311.token_rows(token), fmt, root="service_requests")
