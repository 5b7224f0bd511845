"""Sentences of the other actions: organisation, security, calendar, catalogue, assessment,
evaluation, campaigns, targets, the API and the integrations (the table of
``audit/labels.py``, split for size)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

SENTENCES: dict[str, Promise] = {
    "api.call": pgettext_lazy("api.call", "%(actor)s called the API"),
    "api.client.create": pgettext_lazy("api.client.create", "%(actor)s registered %(object)s"),
    "api.client.deactivate": pgettext_lazy(
        "api.client.deactivate", "%(actor)s deactivated %(object)s"
    ),
    "api.key.issue": pgettext_lazy("api.key.issue", "%(actor)s issued a key to %(object)s"),
    "api.key.revoke": pgettext_lazy("api.key.revoke", "%(actor)s revoked a key of %(object)s"),
    "assessment.bulletin_approve": pgettext_lazy(
        "assessment.bulletin_approve", "%(actor)s approved %(object)s"
    ),
    "assessment.bulletin_create": pgettext_lazy(
        "assessment.bulletin_create", "%(actor)s drafted %(object)s"
    ),
    "assessment.bulletin_download": pgettext_lazy(
        "assessment.bulletin_download", "%(actor)s downloaded %(object)s"
    ),
    "assessment.bulletin_publish": pgettext_lazy(
        "assessment.bulletin_publish", "%(actor)s published %(object)s"
    ),
    "assessment.bulletin_refresh": pgettext_lazy(
        "assessment.bulletin_refresh", "%(actor)s refreshed the figures of %(object)s"
    ),
    "assessment.export": pgettext_lazy(
        "assessment.export", "%(actor)s exported the assessment figures (%(rows)s rows)"
    ),
    "assessment.hotspot": pgettext_lazy("assessment.hotspot", "%(actor)s raised %(object)s"),
    "assessment.report_scheduled": pgettext_lazy(
        "assessment.report_scheduled", "%(actor)s drafted the scheduled %(object)s"
    ),
    "assessment.weights": pgettext_lazy(
        "assessment.weights", "%(actor)s changed the scorecard weights (%(object)s)"
    ),
    "audit.key.rotated": pgettext_lazy(
        "audit.key.rotated", "%(actor)s switched the audit log to a new key"
    ),
    "campaigns.attendance.record": pgettext_lazy(
        "campaigns.attendance.record", "%(actor)s recorded the attendance of %(object)s"
    ),
    "campaigns.campaign.close": pgettext_lazy(
        "campaigns.campaign.close", "%(actor)s closed %(object)s"
    ),
    "campaigns.campaign.create": pgettext_lazy(
        "campaigns.campaign.create", "%(actor)s created %(object)s"
    ),
    "campaigns.campaign.open": pgettext_lazy(
        "campaigns.campaign.open", "%(actor)s opened %(object)s"
    ),
    "campaigns.completion.export": pgettext_lazy(
        "campaigns.completion.export",
        "%(actor)s exported the campaign completion list (%(rows)s rows)",
    ),
    "campaigns.party_group.create": pgettext_lazy(
        "campaigns.party_group.create", "%(actor)s created %(object)s"
    ),
    "campaigns.reminder.send": pgettext_lazy(
        "campaigns.reminder.send", "%(actor)s sent a reminder for %(object)s"
    ),
    "campaigns.study_hours.export": pgettext_lazy(
        "campaigns.study_hours.export", "%(actor)s exported the study hours (%(rows)s rows)"
    ),
    "campaigns.study_session.create": pgettext_lazy(
        "campaigns.study_session.create", "%(actor)s created %(object)s"
    ),
    "campaigns.submission.accept": pgettext_lazy(
        "campaigns.submission.accept", "%(actor)s accepted %(object)s"
    ),
    "campaigns.submission.create": pgettext_lazy(
        "campaigns.submission.create", "%(actor)s handed in %(object)s"
    ),
    "campaigns.submission.resubmit": pgettext_lazy(
        "campaigns.submission.resubmit", "%(actor)s handed in %(object)s again"
    ),
    "campaigns.submission.return": pgettext_lazy(
        "campaigns.submission.return", "%(actor)s returned %(object)s"
    ),
    "campaigns.submission.select": pgettext_lazy(
        "campaigns.submission.select", "%(actor)s changed the selection of %(object)s"
    ),
    "catalog.commitments.draft_save": pgettext_lazy(
        "catalog.commitments.draft_save", "%(actor)s saved a draft of %(object)s"
    ),
    "catalog.commitments.publish": pgettext_lazy(
        "catalog.commitments.publish", "%(actor)s published %(object)s"
    ),
    "catalog.guide.draft_discard": pgettext_lazy(
        "catalog.guide.draft_discard", "%(actor)s discarded the draft %(object)s"
    ),
    "catalog.guide.draft_save": pgettext_lazy(
        "catalog.guide.draft_save", "%(actor)s saved the draft %(object)s"
    ),
    "catalog.guide.item_create": pgettext_lazy(
        "catalog.guide.item_create", "%(actor)s created %(object)s"
    ),
    "catalog.guide.publish": pgettext_lazy(
        "catalog.guide.publish", "%(actor)s published %(object)s"
    ),
    "catalog.policy.new_version": pgettext_lazy(
        "catalog.policy.new_version", "%(actor)s made a new version: %(object)s"
    ),
    "catalog.policy.seed": pgettext_lazy("catalog.policy.seed", "%(actor)s set up %(object)s"),
    "evaluation.panel_invite": pgettext_lazy(
        "evaluation.panel_invite", "%(actor)s invited a panel to %(object)s"
    ),
    "evaluation.paper_invite": pgettext_lazy(
        "evaluation.paper_invite", "%(actor)s printed paper invitations for %(object)s"
    ),
    "evaluation.question_create": pgettext_lazy(
        "evaluation.question_create", "%(actor)s created %(object)s"
    ),
    "evaluation.questionnaire_create": pgettext_lazy(
        "evaluation.questionnaire_create", "%(actor)s created %(object)s"
    ),
    "evaluation.questionnaire_version": pgettext_lazy(
        "evaluation.questionnaire_version", "%(actor)s made a new version of %(object)s"
    ),
    "evaluation.recipients_invite": pgettext_lazy(
        "evaluation.recipients_invite", "%(actor)s invited the people served to %(object)s"
    ),
    "evaluation.report.export": pgettext_lazy(
        "evaluation.report.export", "%(actor)s exported the evaluation report (%(rows)s rows)"
    ),
    "evaluation.report_download": pgettext_lazy(
        "evaluation.report_download", "%(actor)s downloaded the report of %(object)s"
    ),
    "evaluation.round_approve": pgettext_lazy(
        "evaluation.round_approve", "%(actor)s approved the results of %(object)s"
    ),
    "evaluation.round_close": pgettext_lazy(
        "evaluation.round_close", "%(actor)s closed %(object)s"
    ),
    "evaluation.round_create": pgettext_lazy(
        "evaluation.round_create", "%(actor)s created %(object)s"
    ),
    "evaluation.round_open": pgettext_lazy("evaluation.round_open", "%(actor)s opened %(object)s"),
    "evaluation.typical_approve": pgettext_lazy(
        "evaluation.typical_approve", "%(actor)s approved %(object)s"
    ),
    "evaluation.typical_draft": pgettext_lazy(
        "evaluation.typical_draft", "%(actor)s drafted %(object)s"
    ),
    "evaluation.typical_publish": pgettext_lazy(
        "evaluation.typical_publish", "%(actor)s published %(object)s"
    ),
    "evaluation.typical_withdraw": pgettext_lazy(
        "evaluation.typical_withdraw", "%(actor)s withdrew %(object)s"
    ),
    "notify.preferences": pgettext_lazy(
        "notify.preferences", "%(actor)s changed their notification settings"
    ),
    "notify.retry": pgettext_lazy("notify.retry", "%(actor)s sent %(object)s again"),
    "org.absence.cancel": pgettext_lazy("org.absence.cancel", "%(actor)s cancelled %(object)s"),
    "org.absence.record": pgettext_lazy("org.absence.record", "%(actor)s recorded %(object)s"),
    "org.department.create": pgettext_lazy("org.department.create", "%(actor)s created %(object)s"),
    "org.department.delete": pgettext_lazy("org.department.delete", "%(actor)s deleted %(object)s"),
    "org.department.set_head": pgettext_lazy(
        "org.department.set_head", "%(actor)s set the head of %(object)s"
    ),
    "org.department.update": pgettext_lazy("org.department.update", "%(actor)s changed %(object)s"),
    "org.post.create": pgettext_lazy("org.post.create", "%(actor)s created %(object)s"),
    "org.post.delete": pgettext_lazy("org.post.delete", "%(actor)s deleted %(object)s"),
    "org.post.update": pgettext_lazy("org.post.update", "%(actor)s changed %(object)s"),
    "org.staff.create": pgettext_lazy(
        "org.staff.create", "%(actor)s created the account of %(object)s"
    ),
    "org.staff.delete": pgettext_lazy("org.staff.delete", "%(actor)s deleted %(object)s"),
    "org.staff.set_roles": pgettext_lazy(
        "org.staff.set_roles", "%(actor)s changed the roles of %(object)s"
    ),
    "org.staff.update": pgettext_lazy("org.staff.update", "%(actor)s changed %(object)s"),
    "org.unit.create": pgettext_lazy("org.unit.create", "%(actor)s created %(object)s"),
    "org.unit.delete": pgettext_lazy("org.unit.delete", "%(actor)s deleted %(object)s"),
    "org.unit.set_first_contact_post": pgettext_lazy(
        "org.unit.set_first_contact_post", "%(actor)s set the first-contact post of %(object)s"
    ),
    "org.unit.update": pgettext_lazy("org.unit.update", "%(actor)s changed %(object)s"),
    "org.user.update": pgettext_lazy(
        "org.user.update", "%(actor)s changed the account or roles of %(object)s"
    ),
    "portal.open311_key_create": pgettext_lazy(
        "portal.open311_key_create", "%(actor)s issued %(object)s"
    ),
    "portal.open311_key_deactivate": pgettext_lazy(
        "portal.open311_key_deactivate", "%(actor)s deactivated %(object)s"
    ),
    "referrals.import": pgettext_lazy("referrals.import", "%(actor)s imported %(object)s"),
    "referrals.upload": pgettext_lazy("referrals.upload", "%(actor)s uploaded %(object)s"),
    "security.data_keys_rotate": pgettext_lazy(
        "security.data_keys_rotate", "%(actor)s rotated the personal-data keys"
    ),
    "security.lockout": pgettext_lazy(
        "security.lockout", "Sign-ins as %(username)s were locked after too many failures"
    ),
    "security.otp_enrol": pgettext_lazy("security.otp_enrol", "%(actor)s set up an authenticator"),
    "security.otp_failed": pgettext_lazy(
        "security.otp_failed", "%(actor)s entered a wrong verification code"
    ),
    "security.password_change": pgettext_lazy(
        "security.password_change", "%(actor)s changed their password"
    ),
    "security.password_set": pgettext_lazy(
        "security.password_set", "%(actor)s set the password of %(object)s"
    ),
    "security.retention_run": pgettext_lazy(
        "security.retention_run", "%(actor)s ran the retention rules"
    ),
    "security.signin": pgettext_lazy("security.signin", "%(actor)s signed in"),
    "security.signin_failed": pgettext_lazy(
        "security.signin_failed", "A sign-in as %(username)s was refused"
    ),
    "security.signout": pgettext_lazy("security.signout", "%(actor)s signed out"),
    "security.unlock": pgettext_lazy(
        "security.unlock", "%(actor)s lifted the lock on %(username)s"
    ),
    "security.user_deactivate": pgettext_lazy(
        "security.user_deactivate", "%(actor)s deactivated the account of %(object)s"
    ),
    "targets.export": pgettext_lazy(
        "targets.export", "%(actor)s exported the target board (%(rows)s rows)"
    ),
    "targets.milestone.add": pgettext_lazy("targets.milestone.add", "%(actor)s added %(object)s"),
    "targets.milestone.prewarn": pgettext_lazy(
        "targets.milestone.prewarn", "%(actor)s raised a pre-warning on %(object)s"
    ),
    "targets.milestone.red": pgettext_lazy(
        "targets.milestone.red", "%(actor)s raised a red card on %(object)s"
    ),
    "targets.milestone.yellow": pgettext_lazy(
        "targets.milestone.yellow", "%(actor)s raised a yellow card on %(object)s"
    ),
    "targets.progress.report": pgettext_lazy(
        "targets.progress.report", "%(actor)s reported %(object)s"
    ),
    "targets.progress.returned": pgettext_lazy(
        "targets.progress.returned", "%(actor)s returned %(object)s"
    ),
    "targets.progress.signed_off": pgettext_lazy(
        "targets.progress.signed_off", "%(actor)s signed off %(object)s"
    ),
    "targets.target.create": pgettext_lazy("targets.target.create", "%(actor)s set %(object)s"),
    "targets.task.create": pgettext_lazy("targets.task.create", "%(actor)s created %(object)s"),
    "webhooks.delivery.retry": pgettext_lazy(
        "webhooks.delivery.retry", "%(actor)s retried %(object)s"
    ),
    "webhooks.endpoint.create": pgettext_lazy(
        "webhooks.endpoint.create", "%(actor)s added %(object)s"
    ),
    "webhooks.endpoint.deactivate": pgettext_lazy(
        "webhooks.endpoint.deactivate", "%(actor)s deactivated %(object)s"
    ),
    "webhooks.endpoint.rotate_secret": pgettext_lazy(
        "webhooks.endpoint.rotate_secret", "%(actor)s renewed the signing secret of %(object)s"
    ),
    "workdays.calendar.load": pgettext_lazy(
        "workdays.calendar.load", "%(actor)s loaded the official holiday calendar"
    ),
    "workdays.calendar.override_delete": pgettext_lazy(
        "workdays.calendar.override_delete", "%(actor)s removed %(object)s"
    ),
    "workdays.calendar.override_set": pgettext_lazy(
        "workdays.calendar.override_set", "%(actor)s set %(object)s"
    ),
    "workdays.calendar.year_set": pgettext_lazy(
        "workdays.calendar.year_set", "%(actor)s confirmed the holiday schedule of a year"
    ),
    "workdays.clock.commit_limit": pgettext_lazy(
        "workdays.clock.commit_limit", "%(actor)s fixed the time limit of %(object)s"
    ),
    "workdays.clock.extend": pgettext_lazy(
        "workdays.clock.extend", "%(actor)s extended %(object)s"
    ),
    "workdays.clock.pause": pgettext_lazy("workdays.clock.pause", "%(actor)s paused %(object)s"),
    "workdays.clock.recalculate": pgettext_lazy(
        "workdays.clock.recalculate", "%(actor)s recalculated %(object)s"
    ),
    "workdays.clock.resume": pgettext_lazy("workdays.clock.resume", "%(actor)s resumed %(object)s"),
    "workdays.clock.start": pgettext_lazy("workdays.clock.start", "%(actor)s started %(object)s"),
    "workdays.clock.stop": pgettext_lazy("workdays.clock.stop", "%(actor)s stopped %(object)s"),
}
