"""``{% layout_url "name" %}``: ``{% url "name" %}`` for the layout's argument-less links,
reversed once per process (per URL configuration, script prefix and language) instead of on
every page."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

register = template.Library()

_REVERSED: dict[tuple[object, ...], str] = {}


@register.simple_tag
def layout_url(name: str) -> str:
    key = (name, settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), get_language())
    found = _REVERSED.get(key)
    if found is None:
        found = _REVERSED[key] = reverse(name)
    return found
