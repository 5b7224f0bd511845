"""Hypothesis drives Open311, the public forms and the staff intake form with malformed,
oversized and out-of-range values: every answer is a 2xx, 3xx or 4xx, never a 5xx."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xiaoneng.cases.models import Category

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# Dates that parse, dates that look right but name no day, numbers and plain noise.
dates = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),
    st.dates().map(str),
    st.from_regex(r"\A\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})?)?\Z"),
    st.text(max_size=30),
)
noise = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=8).map(lambda s: s * 900),
    st.sampled_from(["\x00", "a\x00b", "-1", "0", "99999999999999999999", "<x>", "%00", " "]),
)


def _ok(response) -> None:
    assert response.status_code < 500, response.content[:500]


def test_open311_queries_never_fail_on_the_server(demo_org) -> None:
    client = Client()
    params = st.fixed_dictionaries(
        {},
        optional={
            "start_date": dates,
            "end_date": dates,
            "status": noise,
            "service_code": noise,
            "service_request_id": noise,
            "jurisdiction_id": noise,
        },
    )

    @FUZZ
    @given(params=params, fmt=st.sampled_from(["json", "xml"]))
    def run(params: dict[str, str], fmt: str) -> None:
        response = client.get(f"/open311/v2/requests.{fmt}", params)
        _ok(response)
        if fmt == "json" and response.status_code == 400:
            assert json.loads(response.content)[0]["code"] == 400

    run()


def test_open311_posts_never_fail_on_the_server(api_key, settings) -> None:
    settings.XIAONENG_RATE_OPEN311_POST = (100_000, 3600)
    client = Client()
    fields = st.fixed_dictionaries(
        {"service_code": st.one_of(st.just("enrolment"), noise)},
        optional={
            "description": noise,
            "address_string": noise,
            "first_name": noise,
            "last_name": noise,
            "phone": noise,
            "email": noise,
            "attribute[kind]": st.one_of(st.sampled_from(["complaint", "inquiry"]), noise),
            "attribute[unit]": noise,
            "attribute[consent_publish]": noise,
        },
    )

    @FUZZ
    @given(data=fields)
    def run(data: dict[str, str]) -> None:
        _ok(client.post("/open311/v2/requests.json", {**data, "api_key": api_key}))

    run()


def test_public_forms_never_fail_on_the_server(demo_org) -> None:
    category = Category.objects.get(code="enrolment")
    client = Client()
    submit = st.fixed_dictionaries(
        {
            "kind": st.one_of(st.just("complaint"), noise),
            "category": st.one_of(st.just(str(category.pk)), noise),
            "content": noise,
        },
        optional={
            "title": noise,
            "unit_concerned": noise,
            "person_concerned": noise,
            "requester_name": noise,
            "requester_phone": noise,
            "requester_email": noise,
            "is_anonymous": noise,
            "consent_publish": noise,
        },
    )
    track = st.fixed_dictionaries({"code": noise}, optional={"secret": noise, "phone_last4": noise})

    @FUZZ
    @given(submitted=submit, tracked=track)
    def run(submitted: dict[str, str], tracked: dict[str, str]) -> None:
        cache.clear()  # the rate limits would answer 429 and hide the forms
        _ok(client.post("/portal/submit/", submitted))
        _ok(client.post("/portal/track/", tracked))

    run()


def test_the_staff_intake_form_never_fails_on_the_server(demo_org, demo_password) -> None:
    category = Category.objects.get(code="enrolment")
    client = Client()
    assert client.login(username="intake", password=demo_password)
    intake = st.fixed_dictionaries(
        {
            "channel": st.one_of(st.just("phone"), noise),
            "kind": st.one_of(st.just("complaint"), noise),
            "category": st.one_of(st.just(str(category.pk)), noise),
            "content": noise,
        },
        optional={
            "title": noise,
            "requester_name": noise,
            "requester_phone": noise,
            "requester_email": noise,
            "requester_id_number": noise,
            "external_number": noise,
            "person_concerned": noise,
            "unit_concerned": noise,
        },
    )

    @FUZZ
    @given(data=intake)
    def run(data: dict[str, str]) -> None:
        _ok(client.post("/office/intake/", data))

    run()
