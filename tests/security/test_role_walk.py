"""Every route × every demo role, against the table of who may use what (DESIGN.md §1, §3, §8).

The routes are generated from the configuration (walk.py): Django's URL patterns, the NinjaAPI's
path operations and the admin's registry. Each must be named in ``AUDIENCES`` below; a new route
without an expectation fails ``test_every_route_has_an_expectation``, so nobody forgets one.

For each route and each demo login (and the anonymous visitor):
- a person outside its audience is refused: 401/403, 404, or sent to a sign-in page;
- a person inside it is not refused by role (a 404 for a sample object out of their scope is
  fine: which cases a role sees is tested with the case scope, not here);
- the three administrators (三员分立) are refused on every case-content route, and no response
  of theirs, on any route, holds the probe case's content, title, reply, requester's name or
  phone, or tracking code.

One demo load, one client per person, every route requested once per person.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.security.walk import (
    ANONYMOUS,
    Route,
    admin_routes,
    api_routes,
    page_routes,
    public_route_names,
    request,
)
from xiaoneng.demo.data import DEMO_USERS

pytestmark = pytest.mark.django_db

USERS = frozenset(row[0] for row in DEMO_USERS)
ADMINS = frozenset({"sysadmin", "secadmin", "auditor"})
EVERYONE = USERS | {ANONYMOUS}
STAFF = USERS
CASE_WORKERS = USERS - ADMINS  # every demo login holding a case role
SUPERVISORS = frozenset({"xiaoneng", "xiaoneng_b", "inspector", "leader"})
EFFICIENCY = frozenset({"xiaoneng", "xiaoneng_b"})
HEADS = frozenset({"head", "school_head"})
# The bureau's first-contact post, A and B holders: the intake role and nothing else.
INTAKE_ONLY = frozenset({"intake", "intake_b"})
NOBODY: frozenset[str] = frozenset()


# --- the table: who may use each route ------------------------------------------------------
# Each value is the set of demo logins that pass the route's door (role or scope check). A 404
# for a sample object outside someone's scope still counts as passing it.

# Routes that show or change a case, its requester, reply, attachments, documents or the news
# about it. None of them may ever include an administrator (test below).
CASE_CONTENT = {
    # office pages, search and export
    "office:case_list": CASE_WORKERS,
    "office:case_export": CASE_WORKERS,
    "office:case_detail": CASE_WORKERS,
    "office:case_act": CASE_WORKERS,
    "office:case_reveal": CASE_WORKERS,
    # Previews for the person about to act (404 for anyone else): cases/views/composer.py
    "office:case_reply_preview": CASE_WORKERS,
    "office:case_extension_preview": CASE_WORKERS,
    "office:case_receipt": CASE_WORKERS,
    "office:attachment": CASE_WORKERS,
    "office:clock_explain": CASE_WORKERS,
    "office:intake": CASE_WORKERS - {"inspector", "leader"},
    "office:intake_duplicates": CASE_WORKERS - {"inspector", "leader"},
    "office:intake_pool": CASE_WORKERS,
    "office:queue": HEADS,
    "office:console": EFFICIENCY | {"leader"},
    "office:console_bulk": EFFICIENCY | {"leader"},
    "catalog:application_detail": CASE_WORKERS,
    "catalog:application_action": CASE_WORKERS - {"xiaoneng", "xiaoneng_b", "inspector"},
    "catalog:application_new": CASE_WORKERS - EFFICIENCY - {"inspector", "leader"},
    "catalog:filing_list": EFFICIENCY | {"leader"},
    "catalog:filing_review": EFFICIENCY,
    "referrals:list": EFFICIENCY | INTAKE_ONLY | {"school_handler"},
    "referrals:upload": EFFICIENCY | INTAKE_ONLY | {"school_handler"},
    "referrals:detail": EFFICIENCY | INTAKE_ONLY | {"school_handler"},
    "referrals:confirm": EFFICIENCY | INTAKE_ONLY | {"school_handler"},
    "supervision:callback_list": EFFICIENCY | {"leader"},
    "supervision:callback_page": EFFICIENCY | {"leader"},
    "supervision:callback_policies": EFFICIENCY | {"leader"},
    "supervision:callback_reveal": EFFICIENCY | {"leader"},
    "accountability:conduct_convert": EFFICIENCY,
    # triage: the case section, the intake pool's cells, 并案 (docs/triage.md)
    "triage:panel": CASE_WORKERS,
    "triage:pool_cells": CASE_WORKERS,
    "triage:merge": EFFICIENCY,
    # documents of a case
    "documents:case_receipt": CASE_WORKERS,
    "documents:notice": CASE_WORKERS,
    "documents:denial_decision": CASE_WORKERS,
    "documents:signal_reminder": CASE_WORKERS,
    "documents:signal_rectification": CASE_WORKERS,
    # the API's case routes, by session here (by key: test_three_administrators.py)
    **{
        f"api:{name}": CASE_WORKERS
        for name in (
            "case_create",
            "case_create_batch",
            "case_similar",
            "triage_suggestions",
            "case_list",
            "case_pool",
            "case_accept",
            "case_read",
            "case_reveal_requester",
            "case_answer_directly",
            "case_dispatch",
            "case_sign_for",
            "case_assign_handler",
            "case_assist_opinion",
            "case_request_return",
            "case_decide_return",
            "case_request_extension",
            "case_decide_extension",
            "case_suspend",
            "case_resume",
            "case_save_reply_draft",
            "case_reply",
            "case_recall_reply",
            "case_review_reply",
            "case_rate",
            "case_reopen",
            "case_close",
            "case_withdraw",
            "case_invalidate",
            "case_merge",
        )
    },
}

PUBLIC = dict.fromkeys(
    (
        "set_language",
        "office:login",
        "ops:healthz",
        "ops:readyz",
        "api-v1:api-root",
        "api-v1:not-found",
        "api-v1:openapi-json",
        "api-v1:openapi-view",
        "portal:figures_json",
        "bulletins:list",
        "bulletins:file",
        # The SMS providers' callbacks: the shared secret in the address, else 404.
        "sms:callback",
        *(
            f"evaluation_public:{name}"
            for name in (
                "index",
                "invitation",
                "thanks",
                "unit",
                "results",
                "typical_list",
                "typical",
            )
        ),
        *(
            f"portal:{name}"
            for name in (
                "home",
                "submit",
                "receipt",
                "receipt_pdf",
                "track",
                "track_detail",
                "track_leave",
                "rate",
                "results",
                "figures",
                "commitments",
                "unit_commitments",
                "guide_list",
                "guide_detail",
                "guide_checklist",
            )
        ),
        *(
            f"open311:{name}"
            for name in (
                "discovery",
                "services",
                "service_definition",
                "requests",
                "request",
                "token",
            )
        ),
    ),
    EVERYONE,
)

# Every signed-in person, whatever their roles: their own things and the API's reference data.
EVERY_STAFF_MEMBER = dict.fromkeys(
    (
        "office:home",
        "office:logout",
        "notify:inbox",
        "notify:mark_read",
        "notify:mark_all_read",
        "notify:preferences",
        "security:password_change",
        "security:otp_enrol",
        "security:otp_verify",
        "campaigns:campaign_list",
        "campaigns:campaign_detail",
        "campaigns:my_record",
        "campaigns:my_submissions",
        "campaigns:submission_detail",
        "campaigns:submission_file",
        "campaigns:submission_new",
        "campaigns:submission_resubmit",
        "api:unit_list",
        "api:department_list",
        "api:category_list",
        "api:service_item_list",
        "api:service_item_detail",
        "api:notification_list",
        "api:notification_ack",
        "api:metrics_scorecard",
        "api:metrics_ranking",
    ),
    STAFF,
)

# The business of supervision, accountability, assessment, targets and campaigns: never the
# administrators either.
MANAGERS = HEADS | EFFICIENCY | {"leader"}
SUPERVISION = CASE_WORKERS - INTAKE_ONLY - {"inspector"}
BUSINESS = {
    # The unit's reply templates and snippets, kept by its department heads.
    "office:reply_templates": HEADS,
    "office:reply_template_edit": HEADS,
    "office:reply_template_remove": HEADS,
    # Campus safety incidents: every case worker may report one for their unit and open the
    # pages; which incidents they see is the scope check's (tests/emergencies/test_views.py).
    "emergencies:board": CASE_WORKERS,
    "emergencies:incident_new": CASE_WORKERS,
    "emergencies:incident": CASE_WORKERS,
    # Internal matters (政令畅通): every case worker may open the pages, scope decides what
    # they see (tests/internal/test_views.py); 办公室 registers, workers send a 请示.
    "internal:list": CASE_WORKERS,
    "internal:detail": CASE_WORKERS,
    "internal:attachment": CASE_WORKERS,
    "internal:act": CASE_WORKERS,
    "internal:document": CASE_WORKERS,
    "internal:policies": CASE_WORKERS,
    "internal:register": INTAKE_ONLY,
    "internal:ask": CASE_WORKERS - EFFICIENCY - {"inspector", "leader"},
    "emergencies:report_new": CASE_WORKERS,
    "emergencies:end_response": CASE_WORKERS,
    "emergencies:regrade": CASE_WORKERS,
    "emergencies:acknowledge": CASE_WORKERS,
    # Recording an outside report (scoped to the incident; the safety department and leaders
    # record it), turning a request into an incident (the safety department and leaders).
    "emergencies:outbound_record": CASE_WORKERS,
    "emergencies:from_case": frozenset({"leader"}),
    "documents:report_document": CASE_WORKERS,
    # Duty rosters, plans and drills: everyone their own unit's (tests/emergencies/
    # test_safety_views.py); the roster is entered by the unit's head or the efficiency office,
    # the drill requirements set by the efficiency office (or the safety department).
    "emergencies:roster": CASE_WORKERS,
    "emergencies:roster_fill": EFFICIENCY | {"school_head"},
    "emergencies:swap_new": CASE_WORKERS,
    "emergencies:swap_decide": CASE_WORKERS,
    "emergencies:plans": CASE_WORKERS,
    "emergencies:plan_new": CASE_WORKERS,
    "emergencies:plan_document": CASE_WORKERS,
    "emergencies:drills": CASE_WORKERS,
    "emergencies:drill_new": CASE_WORKERS,
    "emergencies:drill_status": CASE_WORKERS,
    "emergencies:requirement_set": EFFICIENCY,
    "emergencies:requirement_remove": EFFICIENCY,
    "accountability:violations": CASE_WORKERS - INTAKE_ONLY,
    "accountability:violation": CASE_WORKERS - INTAKE_ONLY,
    "accountability:violation_evidence": EFFICIENCY | {"inspector"},
    "accountability:violation_evidence_file": CASE_WORKERS - INTAKE_ONLY,
    "accountability:violation_review": EFFICIENCY,
    "accountability:sanction": CASE_WORKERS - INTAKE_ONLY,
    "accountability:sanction_document": CASE_WORKERS - INTAKE_ONLY,
    "accountability:sanction_new": frozenset({"inspector", "leader"}),
    "accountability:appeals": CASE_WORKERS - INTAKE_ONLY,
    "accountability:appeal": CASE_WORKERS - INTAKE_ONLY,
    "accountability:appeal_new": CASE_WORKERS - INTAKE_ONLY,
    "accountability:appeal_decide": EFFICIENCY | {"leader"},
    "accountability:my_record": CASE_WORKERS - INTAKE_ONLY,
    "accountability:person": CASE_WORKERS - INTAKE_ONLY,
    "accountability:unit": SUPERVISORS,
    "accountability:conduct_list": EFFICIENCY | {"inspector"},
    "accountability:conduct": EFFICIENCY | {"inspector"},
    "accountability:conduct_intake": EFFICIENCY,
    "accountability:conduct_accept": EFFICIENCY,
    "accountability:conduct_extend": frozenset({"inspector"}),
    "accountability:conduct_find": frozenset({"inspector"}),
    "supervision:order_list": SUPERVISION,
    "supervision:order_new": EFFICIENCY | {"leader"},
    "supervision:order_detail": SUPERVISION,
    "supervision:order_document": SUPERVISION,
    "supervision:order_feedback": SUPERVISION,
    "supervision:feedback_file": SUPERVISION,
    "supervision:order_decide": EFFICIENCY,
    "supervision:order_remind": EFFICIENCY,
    "supervision:reminder_document": SUPERVISION,
    "supervision:report": EFFICIENCY | {"leader"},
    "supervision:report_export": EFFICIENCY | {"leader"},
    "supervision:inspection_list": SUPERVISORS,
    "supervision:inspection_detail": SUPERVISORS,
    "supervision:inspection_new": frozenset({"inspector"}),
    "supervision:evidence_new": frozenset({"inspector"}),
    "supervision:evidence_download": SUPERVISORS,
    "supervision:finding_new": frozenset({"inspector"}),
    "supervision:finding_violation": frozenset({"inspector"}),
    "office:cockpit": frozenset({"leader"}),
    "assessment:dashboard": MANAGERS,
    "assessment:dashboard_export": MANAGERS,
    "assessment:hotspots": EFFICIENCY | {"leader"},
    "assessment:scorecard": EFFICIENCY | {"leader"},
    "assessment:weights": EFFICIENCY,
    "assessment:bulletin_list": EFFICIENCY | {"leader"},
    "assessment:bulletin_create": EFFICIENCY,
    "assessment:bulletin_detail": EFFICIENCY | {"leader"},
    "assessment:bulletin_file": EFFICIENCY | {"leader"},
    "assessment:bulletin_refresh": EFFICIENCY,
    "assessment:bulletin_approve": frozenset({"leader"}),
    "assessment:bulletin_publish": EFFICIENCY | {"leader"},
    "targets:list": SUPERVISION,
    "targets:export": SUPERVISION,
    "targets:dashboard": MANAGERS,
    "targets:import": EFFICIENCY,
    "targets:target_new": EFFICIENCY,
    "targets:target": SUPERVISION,
    "targets:task_new": EFFICIENCY,
    "targets:task": SUPERVISION,
    "targets:task_supervise": EFFICIENCY | {"leader"},
    "targets:milestone_new": EFFICIENCY,
    "targets:report_new": SUPERVISION,
    "targets:report_decide": SUPERVISION,
    "targets:report_evidence": SUPERVISION,
    "campaigns:campaign_new": EFFICIENCY,
    "campaigns:campaign_open": EFFICIENCY,
    "campaigns:campaign_close": EFFICIENCY,
    "campaigns:campaign_export": MANAGERS,
    "campaigns:campaign_summary": MANAGERS,
    "campaigns:review_list": HEADS | EFFICIENCY,
    "campaigns:submission_review": HEADS | EFFICIENCY,
    "campaigns:submission_select": HEADS | EFFICIENCY,
    "campaigns:party_groups": EFFICIENCY,
    "campaigns:session_list": MANAGERS,
    "campaigns:session_new": HEADS | EFFICIENCY,
    "campaigns:session_detail": MANAGERS,
    "campaigns:hours": MANAGERS,
    "campaigns:hours_export": MANAGERS,
    "campaigns:person_record": MANAGERS,
    # Evaluation by the people served: heads see their own unit's results (scope: 404).
    "evaluation:rounds": MANAGERS,
    "evaluation:round": MANAGERS,
    "evaluation:unit_results": MANAGERS,
    "evaluation:round_new": EFFICIENCY,
    "evaluation:round_act": EFFICIENCY,
    "evaluation:panel_invite": EFFICIENCY,
    "evaluation:poster": EFFICIENCY,
    "evaluation:questions": EFFICIENCY,
    "evaluation:questionnaire_new": EFFICIENCY,
    "evaluation:round_approve": frozenset({"leader"}),
    "evaluation:report": EFFICIENCY | {"leader"},
    "evaluation:typical_list": EFFICIENCY | {"leader"},
    "evaluation:typical": EFFICIENCY | {"leader"},
    "evaluation:typical_act": EFFICIENCY | {"leader"},
    "evaluation:typical_new": EFFICIENCY,
}

# The administrators' own work (三员分立): configuration (sysadmin), accounts (secadmin), audit
# review (auditor). Service guides and commitments are published text, read by case workers too.
ADMINISTRATION = {
    "office:org_units": frozenset({"sysadmin"}),
    "office:org_department": frozenset({"sysadmin"}),
    "office:org_calendar": frozenset({"sysadmin"}),
    "office:org_calendar_delete": frozenset({"sysadmin"}),
    "office:org_policies": frozenset({"sysadmin"}),
    "office:org_policy": frozenset({"sysadmin"}),
    "office:org_absences": HEADS | {"sysadmin"},
    "office:org_absence_cancel": HEADS | {"sysadmin"},
    "office:org_staff": frozenset({"sysadmin", "secadmin"}),
    "office:audit_log": frozenset({"auditor"}),
    "security:signins": frozenset({"secadmin"}),
    "security:signin_unlock": frozenset({"secadmin"}),
    "office:audit_verify": frozenset({"auditor"}),
    "catalog:guide_list": CASE_WORKERS | {"sysadmin"},
    "catalog:guide_preview": CASE_WORKERS | {"sysadmin"},
    "catalog:guide_new": frozenset({"sysadmin"}),
    "catalog:guide_edit": frozenset({"sysadmin"}),
    "catalog:guide_publish": frozenset({"sysadmin"}),
    "catalog:commitments_list": CASE_WORKERS | {"sysadmin"},
    "catalog:commitments_edit": frozenset({"sysadmin"}),
    "catalog:commitments_publish": frozenset({"sysadmin"}),
    "webhooks:endpoint_list": frozenset({"sysadmin"}),
    "webhooks:endpoint_rotate": frozenset({"sysadmin"}),
    "webhooks:endpoint_deactivate": frozenset({"sysadmin"}),
    "webhooks:delivery_log": frozenset({"sysadmin"}),
    "webhooks:delivery_retry": frozenset({"sysadmin"}),
}

# The Django admin, by model (list and change page). The outbox is listed without its texts
# (notify.admin); recorded text messages and second-factor devices are read by no demo login
# here; the security administrator reads axes' sign-in records (read-only).
ADMIN_SITE = {
    **{
        f"admin:{label}{page}": who
        for label, who in {
            "org.unit": frozenset({"sysadmin"}),
            "org.department": frozenset({"sysadmin"}),
            "org.post": frozenset({"sysadmin"}),
            "org.absence": frozenset({"sysadmin"}),
            "org.staff": frozenset({"sysadmin", "secadmin"}),
            "org.user": frozenset({"secadmin"}),
            "auth.group": frozenset({"secadmin"}),
            "audit.auditentry": frozenset({"auditor"}),
            "notify.notification": frozenset({"sysadmin"}),
            "notify.smsrecord": NOBODY,
            "axes.accessattempt": frozenset({"secadmin"}),
            "axes.accesslog": frozenset({"secadmin"}),
            "axes.accessfailurelog": frozenset({"secadmin"}),
            "otp_totp.totpdevice": NOBODY,
            "otp_static.staticdevice": NOBODY,
        }.items()
        for page in ("", ":change")
    },
}

AUDIENCES: dict[str, frozenset[str]] = {
    **CASE_CONTENT,
    **PUBLIC,
    **EVERY_STAFF_MEMBER,
    **BUSINESS,
    **ADMINISTRATION,
    **ADMIN_SITE,
}


def all_routes(probe: dict[str, Any]) -> list[Route]:
    case = probe["case"]
    pages = page_routes(
        samples={
            "office:attachment": {"attachment_id": probe["attachment"].pk},
            "office:clock_explain": {"clock_id": probe["clock"].pk},
            "open311:": {"fmt": "json"},  # regular expressions: json|xml
        },
        default={
            "pk": case.pk,
            "case_pk": case.pk,
            "fmt": "pdf",
            "action": "sign_for",
            "service_code": "x",
            "service_request_id": case.number,
            "token": "abc",
            "rest": "x",
            "target": "violation",
            "code": "x",
            "unit": "bureau",
        },
    )
    apis = api_routes(samples={}, default={"case_id": case.pk, "notification_id": 1, "code": "x"})
    # The API's operations are walked with their own methods; its other patterns (schema,
    # docs, root, unknown paths) as pages.
    operations = {route.name.removeprefix("api:") for route in apis}
    pages = [r for r in pages if r.name.removeprefix("api-v1:") not in operations]
    admins = admin_routes({"notify.notification": probe["notification"]})
    return pages + apis + admins


def _client(username: str, users) -> Client:
    client = Client()
    if username != ANONYMOUS:
        client.force_login(users[username])
    return client


def test_every_route_has_an_expectation(probe) -> None:
    names = {route.name for route in all_routes(probe)}
    missing = sorted(names - set(AUDIENCES))
    # An admin change page is walked only when its model has a row.
    stale = sorted(name for name in set(AUDIENCES) - names if not name.endswith(":change"))
    assert missing == [], f"routes without an expectation in AUDIENCES: {missing}"
    assert stale == [], f"expectations for routes that no longer exist: {stale}"


def test_no_case_route_lets_an_administrator_in() -> None:
    """The table itself keeps 三员分立: no case-content route may ever name an administrator."""
    assert {name for name, who in CASE_CONTENT.items() if who & ADMINS} == set()


@pytest.mark.parametrize("username", sorted(EVERYONE))
def test_every_route_as_every_role(probe, users, username) -> None:
    """One role per test, so the parallel workers share the walk."""
    routes = all_routes(probe)
    problems: list[str] = []
    leaks: list[str] = []
    client = _client(username, users)
    # Signing out ends the session the rest of the walk uses: last.
    for route in sorted(routes, key=lambda r: r.name == "office:logout"):
        audience = AUDIENCES.get(route.name)
        if audience is None:
            continue  # reported by test_every_route_has_an_expectation
        outcome = request(client, route)
        allowed = username in audience
        if allowed and outcome.stopped_at_door:
            problems.append(f"{username} refused {route.method} {route.path} ({route.name})")
        if not allowed and not outcome.refused:
            problems.append(
                f"{username} reached {route.method} {route.path} ({route.name}) -> {outcome.status}"
            )
        if username in ADMINS:
            found = [s for s in probe["secrets"] if s and s in outcome.body]
            if found:
                leaks.append(f"{username} {route.method} {route.path}: {found}")
    assert leaks == []
    assert problems == []


def test_public_routes_are_exactly_the_ones_without_a_sign_in(probe) -> None:
    """The anonymous audience in the table matches the views Django lets through unsigned."""
    public = {name for name, who in AUDIENCES.items() if ANONYMOUS in who}
    assert {name for name in public if name.startswith(("api:", "admin:"))} == set()
    # The API's patterns all pass Django's sign-in check: the API authenticates by itself.
    assert {name for name in public if not name.startswith("api-v1:")} == public_route_names()
