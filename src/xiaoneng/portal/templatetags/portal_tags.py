from __future__ import annotations

from django import template

from xiaoneng.portal.selectors import Contacts, portal_contacts

register = template.Library()


@register.simple_tag
def contacts() -> Contacts:
    return portal_contacts()
