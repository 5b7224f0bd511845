"""Personal data at rest (issue 20, item 6): probe values written through every channel are
nowhere in the database in clear (neither in any cell nor in the SQLite file's bytes), the
duplicate hint still finds the same phone, reveal decrypts and is audited, keys rotate."""

from __future__ import annotations

import base64
import tarfile
from pathlib import Path

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.api.conftest import Api
from xiaoneng.accountability.conduct import conduct_intake
from xiaoneng.api.services import apiclient_create, apikey_issue
from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases.models import Case, Category
from xiaoneng.cases.selectors import possible_duplicates
from xiaoneng.cases.services import case_register
from xiaoneng.cases.services.reveal import case_requester_reveal
from xiaoneng.errors import DomainError
from xiaoneng.fieldcrypt import datakeys
from xiaoneng.fieldcrypt.rewrite import encrypt_existing, rotate_table, table_of
from xiaoneng.notify.models import SmsRecord
from xiaoneng.notify.relay import outbox_relay
from xiaoneng.ops.backup import backup_create, backup_restore
from xiaoneng.org.models import Staff, Unit
from xiaoneng.security.checks import check_personal_data_key
from xiaoneng.security.rotation import data_keys_rotate

NAME = "欧阳探针"
PHONE = "13971828394"
EMAIL = "probe.xq7z@example.org"
ID_NUMBER = "11010519491231002X"
PROBES = (NAME, PHONE, EMAIL, ID_NUMBER)
OLD = "old:" + base64.b64encode(b"o" * 32).decode()
NEW = "new:" + base64.b64encode(b"n" * 32).decode()


def _raw(case: Case, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM cases_case WHERE id = %s", [case.pk])
        return cursor.fetchone()[0]


def _cells_with_probes() -> list[str]:
    """Every cell of every table, whatever its type, searched for the probe values."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for cell in row:
                    text = cell.decode(errors="replace") if isinstance(cell, bytes) else str(cell)
                    found += [f"{table}: {probe}" for probe in PROBES if probe in text]
    return found


def _register(users, **fields) -> Case:
    return case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        title="收费问题",
        content="家长反映收费问题，请核查。",
        **fields,
    ).case


@pytest.mark.django_db(transaction=True)
def test_probe_values_are_stored_only_as_ciphertext(client, users, demo_password) -> None:
    category = Category.objects.get(code="enrolment")
    assert client.login(username="intake", password=demo_password)
    office = client.post(
        reverse("office:intake"),
        {
            "channel": "phone",
            "kind": "complaint",
            "category": category.pk,
            "content": "家长来电反映晚自习收费问题，请予核查。",
            "requester_name": NAME,
            "requester_phone": PHONE,
            "requester_email": EMAIL,
        },
    )
    assert office.status_code == 302
    client.logout()
    portal = client.post(
        reverse("portal:submit"),
        {
            "kind": "complaint",
            "category": category.pk,
            "title": "学校收费",
            "content": "学校在招生时收取费用，请核查。",
            "requester_name": NAME,
            "requester_phone": PHONE,
            "requester_email": EMAIL,
            "website": "",
        },
    )
    assert portal.status_code in (200, 302)
    hotline = apiclient_create(name="热线", scopes=["cases:create"], roles=["intake"], by=None)
    api = Api(apikey_issue(client=hotline, by=None).plaintext).post(
        "/cases",
        {
            "channel": "hotline",
            "kind": "complaint",
            "category": "enrolment",
            "content": "家长反映择校费问题，请核查。",
            "requester_name": NAME,
            "requester_phone": PHONE,
            "requester_id_number": ID_NUMBER,
            "external_number": "12345-probe-1",
        },
    )
    assert api.status_code == 201, api.content
    conduct_intake(
        by=users["xiaoneng"],
        complainant_name=NAME,
        complainant_phone=PHONE,
        content="窗口工作人员推诿不办。",
        unit=Unit.objects.get(code="school-1"),
        staff=Staff.objects.get(user__username="school_handler"),
    )
    outbox_relay(now=timezone.now())  # the SMS to the requester is sent and recorded

    cases = list(Case.objects.all())
    assert len(cases) == 3
    assert {(c.requester_name, c.requester_phone) for c in cases} == {(NAME, PHONE)}
    assert PHONE in [record.phone for record in SmsRecord.objects.all()]
    assert _raw(cases[0], "requester_phone").startswith("$xn$")
    assert _cells_with_probes() == []
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        files = [name, name.with_name(name.name + "-wal")]
        content = b"".join(path.read_bytes() for path in files if path.exists())
        assert content
        assert [p for p in PROBES if p.encode() in content] == []


def test_duplicate_hint_finds_the_same_phone_and_id_number(users, client, demo_password) -> None:
    case = _register(users, requester_phone="138 0013 8000", requester_id_number=ID_NUMBER)
    other = _register(users, requester_phone="13900000000")
    assert list(possible_duplicates(phone="+86 138-0013-8000")) == [case]
    assert list(possible_duplicates(id_number="110105 19491231 002x")) == [case]
    assert other not in possible_duplicates(phone="13800138000")
    assert list(possible_duplicates(phone="13800138001")) == []
    assert client.login(username="intake", password=demo_password)
    hint = client.get(reverse("office:intake_duplicates"), {"requester_phone": "13800138000"})
    assert case.number in hint.content.decode()
    assert other.number not in hint.content.decode()


def test_equality_on_an_encrypted_column_is_refused(users) -> None:
    _register(users, requester_phone=PHONE)
    assert Case.objects.exclude(requester_phone="").count() == 1
    with pytest.raises(FieldError, match="blind index"):
        list(Case.objects.filter(requester_phone=PHONE))


def test_reveal_decrypts_and_is_audited(users) -> None:
    case = _register(users, requester_name=NAME, requester_phone=PHONE, requester_email=EMAIL)
    assert NAME not in _raw(case, "requester_name")
    shown = case_requester_reveal(by=users["xiaoneng"], case=case, reason="回访核实")
    assert (shown.name, shown.phone, shown.email) == (NAME, PHONE, EMAIL)
    entry = AuditEntry.objects.get(action="case.reveal_requester")
    assert entry.object_id == str(case.pk)
    assert PHONE not in str(entry.summary)


def test_a_ciphertext_moved_to_another_column_does_not_open(users) -> None:
    case = _register(users, requester_name=NAME, requester_phone=PHONE)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_case SET requester_name = requester_phone WHERE id = %s", [case.pk]
        )
    with pytest.raises(datakeys.DataKeyError):
        Case.objects.get(pk=case.pk)


def test_rotation_moves_every_row_to_the_new_key(users, settings) -> None:
    settings.XIAONENG_DATA_KEYS = OLD
    cases = [_register(users, requester_name=NAME, requester_phone=PHONE) for _ in range(3)]
    assert _raw(cases[0], "requester_phone").startswith("$xn$old$")
    settings.XIAONENG_DATA_KEYS = f"{NEW},{OLD}"
    # The transition: old ciphertext still opens, the old index still matches.
    assert Case.objects.get(pk=cases[0].pk).requester_phone == PHONE
    assert len(possible_duplicates(phone=PHONE)) == 3
    report = data_keys_rotate(batch=2)
    assert report.complete
    assert report.rows["cases_case"] == 3
    for case in cases:
        assert _raw(case, "requester_name").startswith("$xn$new$")
        assert _raw(case, "requester_phone_index").startswith("new$")
    entry = AuditEntry.objects.filter(action="security.data_keys_rotate").latest("id")
    assert entry.summary["key_id"] == "new"
    assert entry.summary["complete"] is True
    assert data_keys_rotate().total == 0  # nothing left to do
    settings.XIAONENG_DATA_KEYS = NEW  # the old key retired
    assert Case.objects.get(pk=cases[2].pk).requester_name == NAME
    assert len(possible_duplicates(phone=PHONE)) == 3


def test_a_value_under_an_unknown_key_is_an_error(users, settings) -> None:
    settings.XIAONENG_DATA_KEYS = OLD
    case = _register(users, requester_phone=PHONE)
    settings.XIAONENG_DATA_KEYS = NEW
    with pytest.raises(datakeys.DataKeyError, match="old"):
        Case.objects.get(pk=case.pk)


def test_an_interrupted_rotation_resumes_where_it_stopped(users, settings) -> None:
    settings.XIAONENG_DATA_KEYS = OLD
    cases = [_register(users, requester_phone=PHONE) for _ in range(3)]
    settings.XIAONENG_DATA_KEYS = f"{NEW},{OLD}"

    def stop(table: str, done: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rotate_table(table_of(Case), batch=1, progress=stop)
    assert [_raw(c, "requester_phone")[:8] for c in cases] == ["$xn$new$", "$xn$old$", "$xn$old$"]
    assert rotate_table(table_of(Case), batch=1) == 2


def test_clear_values_from_before_are_encrypted_by_the_migration_step(users) -> None:
    case = _register(users, requester_name="x", requester_phone="1")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_case SET requester_name = %s, requester_phone = %s, "
            "requester_id_number = %s, requester_phone_index = '', requester_id_index = '' "
            "WHERE id = %s",
            [NAME, PHONE, ID_NUMBER, case.pk],
        )
    assert Case.objects.get(pk=case.pk).requester_name == NAME  # clear text still reads
    from django.apps import apps

    encrypt_existing(apps, [("cases", "Case")])
    assert _raw(case, "requester_name").startswith("$xn$")
    assert _raw(case, "requester_id_number").startswith("$xn$")
    assert Case.objects.get(pk=case.pk).requester_id_number == ID_NUMBER
    assert list(possible_duplicates(phone=PHONE)) == [case]
    assert list(possible_duplicates(id_number=ID_NUMBER)) == [case]


def test_production_without_a_data_key_is_an_error(settings) -> None:
    settings.XIAONENG_DATA_KEYS = ""
    settings.XIAONENG_DATA_KEY_FILE = ""
    settings.PRODUCTION = False
    assert check_personal_data_key() == []
    settings.PRODUCTION = True
    assert [error.id for error in check_personal_data_key()] == ["xiaoneng.E010"]
    with pytest.raises(ImproperlyConfigured):
        datakeys.encrypt(PHONE, context="cases_case.requester_phone")
    settings.XIAONENG_DATA_KEYS = NEW
    assert check_personal_data_key() == []
    assert datakeys.encrypt(PHONE, context="t.c").startswith("$xn$new$")


def test_a_key_file_is_read_and_a_bad_one_is_named(settings, tmp_path) -> None:
    key_file = tmp_path / "keys"
    key_file.write_text(f"# current first\n{NEW}\n{OLD}\n")
    settings.XIAONENG_DATA_KEYS = ""
    settings.XIAONENG_DATA_KEY_FILE = str(key_file)
    assert datakeys.keyring().current_id == "new"
    key_file.write_text("new:tooshort\n")
    settings.XIAONENG_DATA_KEY_FILE = str(key_file)
    assert [error.id for error in check_personal_data_key()] == ["xiaoneng.E011"]


@pytest.mark.django_db(transaction=True)
def test_backups_hold_ciphertext_and_restoring_needs_the_key(users, settings, tmp_path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backup path; pg_dump writes the same column values")
    settings.XIAONENG_DATA_KEYS = OLD
    _register(users, requester_name=NAME, requester_phone=PHONE, requester_email=EMAIL)
    archive = backup_create(output=tmp_path / "b.tar.gz")
    assert archive.manifest["data_keys"]["current"] == "old"
    with tarfile.open(archive.path) as tar:
        dump = tar.extractfile("database.sqlite3").read()
    assert len(dump) > 10_000
    assert [p for p in PROBES if p.encode() in dump] == []
    settings.XIAONENG_DATA_KEYS = NEW
    with pytest.raises(DomainError, match="old"):
        backup_restore(path=archive.path)
