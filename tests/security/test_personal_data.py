"""Seed a distinctive requester, then read every page and API answer each role can reach by GET:
the full name and phone never appear (revealing is a separate, audited POST)."""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from tests.security.test_url_walk import Route, _kwargs, _public, _walk
from xiaoneng.cases.models import Category
from xiaoneng.cases.services import case_dispatch, case_register
from xiaoneng.org.models import Department

pytestmark = pytest.mark.django_db
NAME = "司马长风"
PHONE = "13655558888"
EMAIL = "sima.changfeng@example.org"
ROLES = ["intake", "handler_a", "head", "xiaoneng", "inspector", "leader", "sysadmin", "auditor"]


def _routes(case_pk: int) -> list[str]:
    paths = []
    for name, pattern in _walk(get_resolver().url_patterns):
        if name.startswith("admin:") or name in {"office:logout", "api-v1:not-found"}:
            continue
        kwargs = {
            key: (str(case_pk) if value == "1" else value)
            for key, value in _kwargs(pattern).items()
        }
        path = reverse(name, kwargs=kwargs)
        if _public(Route(name=name, path=path)) and not name.startswith("portal:"):
            continue
        paths.append(path)
    return sorted(set(paths))


def test_no_role_sees_the_full_name_phone_or_email(client, users, demo_password) -> None:
    case = case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        title="食堂收费",
        content="家长反映食堂收费问题。",
        requester_name=NAME,
        requester_phone=PHONE,
        requester_email=EMAIL,
    ).case
    case_dispatch(
        case=case,
        by=users["intake"],
        lead=Department.objects.get(unit__code="bureau", code="basic"),
    )
    leaks = []
    masked_seen = set()
    paths = _routes(case.pk)
    for username in ROLES:
        client.force_login(users[username])
        for path in paths:
            response = client.get(path)
            if getattr(response, "streaming", False):
                continue  # files: exports and documents are checked in their own tests
            body = response.content.decode("utf-8", errors="replace")
            for secret in (NAME, PHONE, EMAIL):
                if secret in body:
                    leaks.append(f"{username} {path} shows {secret}")
            if "136****8888" in body:
                masked_seen.add(username)
    assert leaks == []
    # The pages did show this requester, masked, to those who work on the case.
    assert {"intake", "head", "xiaoneng"} <= masked_seen
