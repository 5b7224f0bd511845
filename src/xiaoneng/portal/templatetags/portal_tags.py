from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from xiaoneng.portal.selectors import Contacts, portal_contacts

register = template.Library()

# The rendered main navigation by language, page (view name), URL prefix and URLconf: it shows
# nothing else, so each process renders it once per key (a few dozen at most).
_NAV: dict[tuple[str, str, str, Any], SafeString] = {}


@register.simple_tag
def contacts() -> Contacts:
    return portal_contacts()


@register.simple_tag(takes_context=True)
def portal_nav(context: template.Context) -> SafeString:
    """The portal's main navigation (portal/_nav.html) with the current page marked, rendered
    once per language, page and URL prefix and then kept for the process's life."""
    match = getattr(context.get("request"), "resolver_match", None)
    here = str(getattr(match, "view_name", "") or "")
    key = (get_language() or "", here, get_script_prefix(), get_urlconf())
    html = _NAV.get(key)
    if html is None:
        html = render_to_string("portal/_nav.html", {"here": here})
        _NAV[key] = html
    return html


# The track page's moments, as ``|date:"c"``, ``|date:"Y-m-d H:i"`` and ``|date:"Y-m-d"`` show
# them (numbers only, the same in every language), without Django's general date formatter:
# a page with a long timeline formats some 30 moments, which took a tenth of its rendering.
# ``expects_localtime`` has the template engine move each moment to the site's time zone first,
# as it does for ``date``.


@register.filter(expects_localtime=True)
def iso_moment(value: date | None) -> str:
    """``|date:"c"``."""
    return value.isoformat() if value else ""


@register.filter(expects_localtime=True)
def day(value: date | None) -> str:
    """``|date:"Y-m-d"``."""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}" if value else ""


@register.filter(expects_localtime=True)
def minute(value: date | None) -> str:
    """``|date:"Y-m-d H:i"`` (a date without a time shows as ``date`` shows it, at 00:00)."""
    if not value:
        return ""
    hour, minute = (value.hour, value.minute) if isinstance(value, datetime) else (0, 0)
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d} {hour:02d}:{minute:02d}"
