"""The office's navigation: the workbench and the inbox, and the rest in six groups (办件, 督查,
问责, 考评, 目标与学习, 管理), each link shown only to the roles whose work it is. The base
template draws the groups as disclosure menus, behind one menu button under 900 px."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

WORK = frozenset({"intake", "handler", "dept_head", "efficiency_office", "leader", "inspector"})
ADMINS = frozenset({"sysadmin", "secadmin", "auditor"})
BOARD = frozenset({"efficiency_office", "leader"})
IMPORTERS = frozenset({"intake", "efficiency_office"})
CASE_STAFF = BOARD | {"dept_head", "handler"}


@dataclass(frozen=True)
class Item:
    url: str
    label: str | Promise
    roles: frozenset[str]  # empty: any staff role
    testid: str = ""
    not_for: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Link:
    href: str
    label: str
    testid: str
    current: bool


@dataclass(frozen=True)
class Group:
    label: str
    links: list[Link]
    current: bool


GROUPS: list[tuple[str | Promise, list[Item]]] = [
    (
        _("Case work"),
        [
            Item(
                "office:intake",
                _("Intake"),
                frozenset({"intake", "handler", "dept_head", "efficiency_office"}),
            ),
            Item("office:intake_pool", _("Intake pool"), WORK, "pool-link"),
            Item("office:case_list", _("Cases"), WORK),
            Item("office:queue", _("Department queue"), frozenset({"dept_head"})),
            Item("office:reply_templates", _("Reply templates"), frozenset({"dept_head"})),
            Item("internal:list", _("Internal matters"), WORK, "internal-link", ADMINS),
            Item("emergencies:board", _("Emergencies"), WORK, "emergencies-link", ADMINS),
            Item(
                "referrals:list",
                _("Hotline referral import"),
                frozenset({"intake", "efficiency_office"}),
            ),
        ],
    ),
    (
        _("Oversight"),
        [
            Item("office:console", _("Efficiency office"), BOARD),
            Item(
                "supervision:order_list", _("Supervision orders"), BOARD | {"dept_head", "handler"}
            ),
            Item("supervision:callback_list", _("Callbacks"), BOARD),
            Item("supervision:inspection_list", _("Inspections"), BOARD | {"inspector"}),
        ],
    ),
    (
        _("Sanctions and accountability"),
        [
            Item(
                "accountability:violations",
                _("Accountability"),
                BOARD | {"inspector", "dept_head", "handler"},
            ),
            Item(
                "accountability:conduct_list",
                _("Conduct complaints"),
                frozenset({"efficiency_office", "inspector"}),
            ),
            Item("catalog:filing_list", _("Denial filings"), BOARD),
        ],
    ),
    (
        _("Assessment and evaluation"),
        [
            Item("office:cockpit", _("Cockpit"), frozenset({"leader"}), "cockpit-link"),
            Item("assessment:dashboard", _("Assessment"), BOARD | {"dept_head"}),
            Item("assessment:bulletin_list", _("Bulletins"), BOARD),
            Item("evaluation:rounds", _("Evaluation"), BOARD | {"dept_head"}, "evaluation-link"),
        ],
    ),
    (
        _("Targets and learning"),
        [
            Item("targets:list", _("Targets"), BOARD | {"dept_head", "handler"}),
            Item("campaigns:campaign_list", _("Study and discussion"), frozenset()),
            Item("campaigns:session_list", _("Learning records"), BOARD | {"dept_head"}),
        ],
    ),
    (
        _("Management"),
        [
            Item("office:org_units", _("Organisation"), frozenset({"sysadmin"})),
            Item(
                "office:org_staff",
                _("Staff"),
                frozenset({"secadmin"}),
                not_for=frozenset({"sysadmin"}),
            ),
            Item("catalog:guide_list", _("Service guides"), frozenset({"sysadmin"})),
            Item("office:audit_log", _("Audit log"), frozenset({"auditor"})),
            Item("webhooks:endpoint_list", _("Webhooks"), frozenset({"sysadmin"})),
        ],
    ),
]


def _shown(item: Item, roles: set[str]) -> bool:
    if not roles or roles & item.not_for:
        return False
    return not item.roles or bool(roles & item.roles)


# The groups' labels and links (href, label, testid) per (roles, staff flag, language, URL
# configuration, script prefix), built once per process: ``reverse`` and a catalog look-up per
# link on every page cost more than the rest of the menu. Which link is current is marked per
# request. Bounded by the role combinations in use (and the two languages).
_Structure = tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...]
_STRUCTURES: dict[tuple[object, ...], _Structure] = {}


def _structure(held: frozenset[str], is_staff: bool) -> _Structure:
    key = (
        held,
        is_staff,
        get_language(),
        settings.ROOT_URLCONF,
        get_urlconf(),
        get_script_prefix(),
    )
    found = _STRUCTURES.get(key)
    if found is None:
        groups = []
        for label, items in GROUPS:
            links = [
                (reverse(item.url), str(item.label), item.testid)
                for item in items
                if _shown(item, set(held))
            ]
            if label == _("Management") and is_staff:
                links.append((reverse("admin:index"), str(_("Administration")), ""))
            if links:
                groups.append((str(label), tuple(links)))
        found = _STRUCTURES[key] = tuple(groups)
    return found


def _is_current(path: str, href: str) -> bool:
    return path == href or (href != "/" and path.startswith(href))


def navigation(roles: Iterable[str], *, path: str, is_staff: bool = False) -> list[Group]:
    """The groups a person with ``roles`` sees (empty groups left out), the one holding the page
    at ``path`` marked current."""
    groups = []
    for label, shown in _structure(frozenset(roles), is_staff):
        links = [Link(href, text, testid, _is_current(path, href)) for href, text, testid in shown]
        groups.append(Group(label, links, any(link.current for link in links)))
    return groups


def navigation_html(roles: Iterable[str], *, path: str, is_staff: bool = False) -> SafeString:
    """The groups as the layout's disclosure menus (``<details>``, one per group), the page's
    link marked ``aria-current``. Built here rather than by a template loop: the menu is on
    every office page, and the template engine's loop over its twenty-odd links took 1.5–2.4 ms
    of each (docs/testing.md, sixth round)."""
    return menu_markup(navigation(roles, path=path, is_staff=is_staff))


def menu_markup(groups: list[Group]) -> SafeString:
    """The markup of ``groups``, every text escaped."""
    parts = []
    for group in groups:
        items = "".join(
            f'<li><a href="{escape(link.href)}"'
            + (f' data-testid="{escape(link.testid)}"' if link.testid else "")
            + (' aria-current="page"' if link.current else "")
            + f">{escape(link.label)}</a></li>"
            for link in group.links
        )
        css = "navgroup current" if group.current else "navgroup"
        parts.append(
            f'<details class="{css}">\n        <summary>{escape(group.label)}</summary>\n'
            f"        <ul>{items}</ul>\n      </details>"
        )
    return mark_safe("".join(parts))  # every text above is escaped
