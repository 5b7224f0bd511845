"""The referral import page: permissions, upload → preview → confirm → report, past imports."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests.referrals.files import row, rows, write_csv, write_xlsx
from xiaoneng.cases.models import Case
from xiaoneng.referrals.models import ReferralImport
from xiaoneng.referrals.services import referral_import_run

pytestmark = pytest.mark.django_db

LIST = reverse("referrals:list")
UPLOAD = reverse("referrals:upload")


def _upload(path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


@pytest.fixture
def login(client, users, demo_password):
    def as_(username: str):
        # Through the login page: client.login/force_login make axes record the IP "unknown",
        # which PostgreSQL's inet column refuses.
        client.logout()
        response = client.post(
            reverse("office:login"), {"username": username, "password": demo_password}
        )
        assert response.status_code == 302
        return client

    return as_


@pytest.mark.parametrize("username", ["intake", "xiaoneng"])
def test_importers_see_the_page(login, username) -> None:
    assert login(username).get(LIST).status_code == 200


@pytest.mark.parametrize("username", ["handler_a", "head", "leader", "sysadmin", "auditor"])
def test_other_roles_are_forbidden(login, username, tmp_path) -> None:
    client = login(username)
    assert client.get(LIST).status_code == 403
    path = write_csv(tmp_path / "r.csv", rows(1))
    assert client.post(UPLOAD, {"file": _upload(path)}).status_code == 403
    assert not ReferralImport.objects.exists()


def test_anonymous_is_sent_to_login(client, demo_org) -> None:
    for url in (LIST, UPLOAD, reverse("referrals:detail", args=[1])):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_upload_preview_confirm_flow(login, tmp_path) -> None:
    client = login("intake")
    data = rows(3)
    data.append(row("RX00009", phone="13912345678", category="不存在"))
    path = write_xlsx(tmp_path / "flow.xlsx", data)
    with translation.override("en"):
        response = client.post(UPLOAD, {"file": _upload(path)})
    assert response.status_code == 200
    body = response.content.decode()
    assert "138****5678" in body
    assert "13812345678" not in body
    assert "张*" in body
    assert "不存在" in body, response.context["preview"].errors  # named in the error list
    record = ReferralImport.objects.get()
    assert record.status == ReferralImport.Status.PREVIEWED
    assert record.upload
    assert response.context["preview"].to_import == 3
    assert response.context["preview"].error_rows == 1
    assert not Case.objects.filter(external_number__startswith="RX").exists()

    confirm = reverse("referrals:confirm", args=[record.pk])
    response = client.post(confirm, {"mode": "good-rows"})
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:detail", args=[record.pk])
    record.refresh_from_db()
    assert (record.status, record.rows_created, record.rows_error) == ("done", 3, 1)
    assert not record.upload  # the file with personal data is gone once imported
    assert Case.objects.filter(external_number__startswith="RX").count() == 3
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert "不存在" in detail.content.decode()

    # A second confirmation (double click) imports nothing more.
    again = client.post(confirm, {"mode": "good-rows"})
    assert again.status_code == 400
    assert Case.objects.filter(external_number__startswith="RX").count() == 3


def test_all_or_nothing_confirm_rejects(login, tmp_path) -> None:
    client = login("xiaoneng")
    path = write_csv(tmp_path / "bad.csv", [*rows(2), row("X", received="soon")])
    client.post(UPLOAD, {"file": _upload(path)})
    record = ReferralImport.objects.get()
    client.post(reverse("referrals:confirm", args=[record.pk]), {"mode": "all-or-nothing"})
    record.refresh_from_db()
    assert record.status == ReferralImport.Status.REJECTED
    assert not Case.objects.filter(external_number__startswith="RX").exists()


def test_refused_file_shows_message_on_form(login, tmp_path) -> None:
    client = login("intake")
    fake = SimpleUploadedFile("fake.xlsx", b"\x00\x01 random bytes")
    with translation.override("en"):
        response = client.post(UPLOAD, {"file": fake})
    assert response.status_code == 400
    assert "不是表格文件" in response.content.decode()
    assert not ReferralImport.objects.exists()


def test_intake_sees_only_own_imports_office_sees_all(login, users, tmp_path) -> None:
    report = referral_import_run(
        by=users["xiaoneng"], file=write_csv(tmp_path / "o.csv", rows(1)), mode="good-rows"
    )
    client = login("intake")
    assert client.get(reverse("referrals:detail", args=[report.import_id])).status_code == 404
    assert "o.csv" not in client.get(LIST).content.decode()
    client = login("xiaoneng_b")
    assert client.get(reverse("referrals:detail", args=[report.import_id])).status_code == 200


def test_intake_cannot_confirm_someone_elses_upload(login, tmp_path) -> None:
    client = login("xiaoneng")
    client.post(UPLOAD, {"file": _upload(write_csv(tmp_path / "r.csv", rows(1)))})
    record = ReferralImport.objects.get()
    response = login("intake").post(
        reverse("referrals:confirm", args=[record.pk]), {"mode": "good-rows"}
    )
    assert response.status_code == 404


def test_list_query_count(login, users, tmp_path, django_assert_max_num_queries) -> None:
    for index in range(5):
        referral_import_run(
            by=users["xiaoneng"],
            file=write_csv(tmp_path / f"r{index}.csv", rows(1, prefix=f"Q{index}-")),
            mode="good-rows",
        )
    client = login("xiaoneng")
    client.get(LIST)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert len(response.context["imports"]) == 5
