"""No personal data in any public page or Open311 response: distinctive names, phones, e-mail
addresses and ID numbers are seeded everywhere a requester can put them, then every public
response is searched for them."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from xiaoneng.cases.models import Case, Category
from xiaoneng.cases.services import case_rate, case_register

from .conftest import staff_reply

pytestmark = pytest.mark.django_db

NAME = "欧阳独特"
PHONE = "13566667777"
EMAIL = "ouyang.unique@example.cn"
ID_NUMBER = "11010119900101123X"
ACCUSED = "司马被诉"
OPEN311_NAME = "诸葛开放"
OPEN311_PHONE = "13122223333"
SECRETS = [NAME, PHONE, EMAIL, ID_NUMBER, ACCUSED, OPEN311_NAME, OPEN311_PHONE, "6667777"]


def _seed(users, basic, api_key, client) -> list[Case]:
    category = Category.objects.get(code="fees")
    text = f"我是{NAME}，电话{PHONE}，邮箱{EMAIL}，身份证{ID_NUMBER}。{ACCUSED}老师收取补课费。"
    cases = []
    for consent, anonymous, kind in [
        (True, False, "complaint"),
        (False, False, "complaint"),
        (True, True, "report"),
    ]:
        registered = case_register(
            by=None,
            channel="online",
            kind=kind,
            category=category,
            title=f"{NAME}投诉{ACCUSED}",
            content=text,
            person_concerned=ACCUSED,
            requester_name="" if anonymous else NAME,
            requester_phone="" if anonymous else PHONE,
            requester_email="" if anonymous else EMAIL,
            requester_id_number="" if anonymous else ID_NUMBER,
            is_anonymous=anonymous,
            consent_publish=consent,
        )
        case = staff_reply(
            registered.case,
            users,
            basic,
            text=f"{NAME}您好：经查{ACCUSED}确有违规收费，已责令退还。如有疑问请致电{PHONE}。",
        )
        cases.append(case_rate(case=case, satisfaction="satisfied", resolved=True))
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": api_key,
            "service_code": "fees",
            "description": f"{OPEN311_NAME}反映：学校乱收费，回电{OPEN311_PHONE}",
            "attribute[consent_publish]": "true",
            "first_name": OPEN311_NAME[2:],
            "last_name": OPEN311_NAME[:2],
            "phone": OPEN311_PHONE,
            "email": "zhuge@example.cn",
        },
    )
    assert response.status_code == 201
    for secret in SECRETS:
        assert secret not in response.content.decode()
    cases.append(Case.objects.get(number=json.loads(response.content)[0]["service_request_id"]))
    return cases


def _public_responses(client, cases: list[Case]) -> dict[str, str]:
    pages = {}
    for name in ["home", "submit", "track", "results", "figures"]:
        pages[name] = client.get(reverse(f"portal:{name}")).content.decode()
    for case in cases:
        pages[f"wrong {case.number}"] = client.post(
            reverse("portal:track"), {"code": case.tracking_code, "secret": "WRONGWRONG"}
        ).content.decode()
        # The requester's own page: reached with the code and the last four digits.
        fresh = client.__class__()
        page = fresh.post(
            reverse("portal:track"), {"code": case.tracking_code, "phone_last4": PHONE[-4:]}
        )
        pages[f"track {case.number}"] = page.content.decode()
    for fmt in ("json", "xml"):
        paths = ["discovery", "services", "services/fees", "requests"]
        paths += [f"requests/{case.number}" for case in cases]
        paths += [f"tokens/{case.tracking_code}" for case in cases]
        for path in paths:
            response = client.get(f"/open311/v2/{path}.{fmt}")
            pages[f"open311 {path}.{fmt}"] = response.content.decode()
    return pages


def test_no_personal_data_in_any_public_response(client, users, basic, api_key) -> None:
    cases = _seed(users, basic, api_key, client)
    pages = _public_responses(client, cases)
    # The seeded cases are really there to be found.
    assert cases[0].number in pages["results"]
    assert cases[1].number not in pages["results"]
    assert cases[2].number not in pages["results"]
    assert "已责令退还" in pages["results"]
    assert cases[0].number in pages["open311 requests.json"]
    assert cases[3].number in pages["open311 requests.json"]
    assert "收取补课费" in pages["open311 requests.json"]
    assert "学校乱收费" in pages["open311 requests.json"]
    assert "已责令退还" in pages[f"track {cases[0].number}"]
    leaks = [
        (where, secret) for where, html in pages.items() for secret in SECRETS if secret in html
    ]
    assert leaks == []
