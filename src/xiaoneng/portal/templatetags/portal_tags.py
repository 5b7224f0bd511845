from __future__ import annotations

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
