"""Imported hotline referrals wait in the bureau's intake pool, not with the importer."""

from __future__ import annotations

import pytest

from tests.referrals.files import rows, write_xlsx
from xiaoneng.cases.models import Case
from xiaoneng.cases.pool import pool_visible_to
from xiaoneng.cases.services import case_accept
from xiaoneng.referrals.services import referral_import_run

pytestmark = pytest.mark.django_db


def test_imported_referrals_land_in_the_bureau_pool(users, tmp_path) -> None:
    path = write_xlsx(tmp_path / "good.xlsx", rows(2))
    report = referral_import_run(by=users["xiaoneng"], file=path, mode="all-or-nothing")
    assert report.created == 2
    cases = Case.objects.order_by("pk")
    assert {case.unit.code for case in cases} == {"bureau"}
    assert all(case.first_contact is None for case in cases)
    assert {c.policy_version.policy.code for c in cases} <= {"hotline-consult", "hotline-complaint"}
    # The first-contact officer sees and accepts them; the importer did not become it.
    assert pool_visible_to(users["intake"]).count() == 2
    accepted = case_accept(case=cases[0], by=users["intake"])
    assert accepted.first_contact.user == users["intake"]
