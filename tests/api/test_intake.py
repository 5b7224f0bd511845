"""Idempotent intake, and one error format with the right status for bad input."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.api.conftest import Api
from xiaoneng.api.models import ApiIdempotency
from xiaoneng.cases.models import Case


@pytest.mark.django_db
def test_same_idempotency_key_returns_the_same_case(hotline, new_case) -> None:
    body = {**new_case, "external_number": ""}
    headers = {"Idempotency-Key": "req-0001"}
    first = hotline.post("/cases", body, headers=headers)
    again = hotline.post("/cases", body, headers=headers)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert again.json()["tracking_secret"] is None
    assert first.json()["case"]["id"] == again.json()["case"]["id"]
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_same_key_with_another_body_is_409(hotline, new_case) -> None:
    headers = {"Idempotency-Key": "req-0002"}
    assert hotline.post("/cases", new_case, headers=headers).status_code == 201
    response = hotline.post("/cases", {**new_case, "content": "另一件事"}, headers=headers)
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_same_external_number_returns_the_same_case(hotline, new_case) -> None:
    first = hotline.post("/cases", new_case)
    again = hotline.post("/cases", new_case)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["case"]["id"] == again.json()["case"]["id"]


@pytest.mark.django_db
def test_keys_belong_to_their_client(hotline, school, new_case) -> None:
    headers = {"Idempotency-Key": "shared-key"}
    body = {**new_case, "external_number": ""}
    a = hotline.post("/cases", body, headers=headers).json()["case"]["id"]
    b = school.post("/cases", body, headers=headers).json()["case"]["id"]
    assert a != b


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_identical_requests_make_one_case(hotline, new_case) -> None:
    body = {**new_case, "external_number": ""}
    barrier = threading.Barrier(2)
    results: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            barrier.wait()
            response = Api(hotline.key).post(
                "/cases", body, headers={"Idempotency-Key": "simultaneous"}
            )
            results.append((response.status_code, response.json()["case"]["id"]))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(status for status, _id in results) == [200, 201]
    assert len({case_id for _status, case_id in results}) == 1
    assert Case.objects.count() == 1
    assert ApiIdempotency.objects.count() == 1


# -- errors --------------------------------------------------------------------------------


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert set(body) == {"code", "message", "message_zh", "message_en", "fields"}
    assert body["code"] == code
    return body


@pytest.mark.django_db
def test_malformed_json_is_400(hotline) -> None:
    _error(hotline.post("/cases", raw="{not json"), 400, "malformed")
    _error(hotline.post("/cases", raw=b"\xff\xfe"), 400, "malformed")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "no-such"}, "category"),
        ({"kind": "rant"}, "kind"),
        ({"channel": "pigeon"}, "channel"),
        ({"content": ""}, "content"),
        ({"content": "nul\x00byte"}, "body"),
        ({"unit": 987654}, "unit"),
        ({"unit": 2**70}, "unit"),
        ({"registered_at": "2999-01-01T00:00:00"}, "registered_at"),
        ({"registered_at": "yesterday"}, "registered_at"),
    ],
)
def test_bad_input_names_the_field(hotline, new_case, change, field) -> None:
    body = _error(hotline.post("/cases", {**new_case, **change}), 400, "invalid")
    assert field in body["fields"], body


@pytest.mark.django_db
def test_a_body_that_is_not_an_object_is_400(hotline) -> None:
    _error(hotline.post("/cases", [1, 2]), 400, "invalid")


@pytest.mark.django_db
def test_bad_query_and_path_parameters_are_400(hotline) -> None:
    _error(hotline.get("/cases", state="nonsense"), 400, "invalid")
    _error(hotline.get("/cases", cursor="!!!"), 400, "invalid")
    _error(hotline.get("/cases", cursor="bm9wZQ"), 400, "invalid")
    _error(hotline.get("/cases", limit=0), 400, "invalid")
    _error(hotline.get("/cases/abc"), 400, "invalid")
    _error(hotline.get(f"/cases/{2**70}"), 400, "invalid")


@pytest.mark.django_db
def test_illegal_transition_is_409_in_the_requests_language(hotline, staff_api, new_case) -> None:
    case_id = hotline.post("/cases", new_case).json()["case"]["id"]
    office = staff_api("xiaoneng")
    body = _error(
        office.post(f"/cases/{case_id}/sign-for", headers={"Accept-Language": "en"}),
        409,
        "illegal_transition",
    )
    assert "cannot" in body["message"]


@pytest.mark.django_db
def test_domain_refusal_is_400_and_permission_403(hotline, staff_api, new_case) -> None:
    case_id = hotline.post("/cases", new_case).json()["case"]["id"]
    _error(
        staff_api("leader").post(f"/cases/{case_id}/withdraw", {"reason": "x"}),
        403,
        "permission_denied",
    )
    _error(
        staff_api("xiaoneng").post(f"/cases/{case_id}/withdraw", {"reason": " "}),
        400,
        "domain_error",
    )


@pytest.mark.django_db
def test_unknown_path_and_wrong_method_answer_in_the_format(hotline) -> None:
    _error(hotline.get("/nowhere"), 404, "not_found")
    response = hotline.client.delete("/api/v1/cases", headers=hotline._headers(None))
    _error(response, 405, "method_not_allowed")
