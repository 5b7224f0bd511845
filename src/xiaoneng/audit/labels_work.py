"""Sentences of the case work's actions: cases, internal matters, emergencies, supervision,
accountability, triage and documents (the table of ``audit/labels.py``, split for size)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

SENTENCES: dict[str, Promise] = {
    "accountability.appeal.decide": pgettext_lazy(
        "accountability.appeal.decide", "%(actor)s decided %(object)s"
    ),
    "accountability.appeal.file": pgettext_lazy(
        "accountability.appeal.file", "%(actor)s filed %(object)s"
    ),
    "accountability.conduct.accept": pgettext_lazy(
        "accountability.conduct.accept", "%(actor)s decided whether to investigate %(object)s"
    ),
    "accountability.conduct.extend": pgettext_lazy(
        "accountability.conduct.extend", "%(actor)s extended the investigation of %(object)s"
    ),
    "accountability.conduct.find": pgettext_lazy(
        "accountability.conduct.find", "%(actor)s recorded the findings on %(object)s"
    ),
    "accountability.conduct.intake": pgettext_lazy(
        "accountability.conduct.intake", "%(actor)s registered %(object)s"
    ),
    "accountability.denial_filing.create": pgettext_lazy(
        "accountability.denial_filing.create", "%(actor)s filed %(object)s"
    ),
    "accountability.denial_filing.review": pgettext_lazy(
        "accountability.denial_filing.review", "%(actor)s reviewed %(object)s"
    ),
    "accountability.sanction.decide": pgettext_lazy(
        "accountability.sanction.decide", "%(actor)s decided %(object)s"
    ),
    "accountability.sanction.revoke": pgettext_lazy(
        "accountability.sanction.revoke", "%(actor)s revoked %(object)s"
    ),
    "accountability.signal.revoke": pgettext_lazy(
        "accountability.signal.revoke", "%(actor)s withdrew %(object)s"
    ),
    "accountability.violation.evidence": pgettext_lazy(
        "accountability.violation.evidence", "%(actor)s added evidence to %(object)s"
    ),
    "accountability.violation.evidence_download": pgettext_lazy(
        "accountability.violation.evidence_download",
        "%(actor)s downloaded the evidence of %(object)s",
    ),
    "accountability.violation.record": pgettext_lazy(
        "accountability.violation.record", "%(actor)s recorded %(object)s"
    ),
    "accountability.violation.review": pgettext_lazy(
        "accountability.violation.review", "%(actor)s reviewed %(object)s"
    ),
    "accountability.violation.revoke": pgettext_lazy(
        "accountability.violation.revoke", "%(actor)s revoked %(object)s"
    ),
    "accountability.violation.send_back": pgettext_lazy(
        "accountability.violation.send_back", "%(actor)s sent %(object)s back for another look"
    ),
    "case.accept": pgettext_lazy("case.accept", "%(actor)s accepted %(object)s"),
    "case.accept_return": pgettext_lazy(
        "case.accept_return",
        "%(actor)s accepted the return of %(object)s and dispatched it to %(target)s",
    ),
    "case.answer_directly": pgettext_lazy(
        "case.answer_directly", "%(actor)s answered %(object)s directly"
    ),
    "case.application": pgettext_lazy(
        "case.application", "%(actor)s registered the application %(object)s"
    ),
    "case.approve": pgettext_lazy("case.approve", "%(actor)s approved the application %(object)s"),
    "case.approve_extension": pgettext_lazy(
        "case.approve_extension", "%(actor)s approved the extension of %(object)s"
    ),
    "case.assign_handler": pgettext_lazy(
        "case.assign_handler", "%(actor)s assigned a handler to %(object)s"
    ),
    "case.assist_opinion": pgettext_lazy(
        "case.assist_opinion", "%(actor)s gave an assisting opinion on %(object)s"
    ),
    "case.assist_silent": pgettext_lazy(
        "case.assist_silent",
        "An assisting department did not answer on %(object)s: counted as agreement",
    ),
    "case.assist_withdrawn": pgettext_lazy(
        "case.assist_withdrawn", "%(actor)s no longer asks for an assisting opinion on %(object)s"
    ),
    "case.attach": pgettext_lazy("case.attach", "%(actor)s added an attachment to %(object)s"),
    "case.attachments_added": pgettext_lazy(
        "case.attachments_added", "%(actor)s added attachments to %(object)s"
    ),
    "case.close": pgettext_lazy("case.close", "%(actor)s closed %(object)s"),
    "case.close_unrated": pgettext_lazy(
        "case.close_unrated", "%(actor)s closed %(object)s without a rating"
    ),
    "case.denial_filing_reviewed": pgettext_lazy(
        "case.denial_filing_reviewed",
        "%(actor)s recorded the review of the denial filing on %(object)s",
    ),
    "case.deny": pgettext_lazy("case.deny", "%(actor)s refused the application %(object)s"),
    "case.dispatch": pgettext_lazy(
        "case.dispatch", "%(actor)s dispatched %(object)s to %(target)s"
    ),
    "case.export": pgettext_lazy("case.export", "%(actor)s exported the case list (%(rows)s rows)"),
    "case.extension_approved": pgettext_lazy(
        "case.extension_approved", "%(actor)s approved the extension of %(object)s"
    ),
    "case.extension_withdrawn": pgettext_lazy(
        "case.extension_withdrawn", "%(actor)s withdrew the extension request of %(object)s"
    ),
    "case.incident_opened": pgettext_lazy(
        "case.incident_opened", "%(actor)s turned %(object)s into an incident"
    ),
    "case.invalidate": pgettext_lazy("case.invalidate", "%(actor)s marked %(object)s invalid"),
    "case.mark_urgent": pgettext_lazy("case.mark_urgent", "%(actor)s marked %(object)s urgent"),
    "case.materials_checked": pgettext_lazy(
        "case.materials_checked", "%(actor)s checked the materials of %(object)s"
    ),
    "case.merge": pgettext_lazy("case.merge", "%(actor)s merged %(object)s into %(into)s"),
    "case.merged_in": pgettext_lazy(
        "case.merged_in", "%(actor)s merged another case into %(object)s"
    ),
    "case.not_accepted": pgettext_lazy(
        "case.not_accepted", "%(actor)s did not accept the application %(object)s"
    ),
    "case.overdue_filed": pgettext_lazy(
        "case.overdue_filed", "%(actor)s filed the overdue reply of %(object)s"
    ),
    "case.rate": pgettext_lazy("case.rate", "%(actor)s recorded the rating of %(object)s"),
    "case.register": pgettext_lazy("case.register", "%(actor)s registered %(object)s"),
    "case.reject_extension": pgettext_lazy(
        "case.reject_extension", "%(actor)s rejected the extension of %(object)s"
    ),
    "case.reject_return": pgettext_lazy(
        "case.reject_return", "%(actor)s rejected the return of %(object)s"
    ),
    "case.repeat_alert": pgettext_lazy(
        "case.repeat_alert", "%(actor)s linked %(object)s to an earlier case as a repeat complaint"
    ),
    "case.reply_draft_saved": pgettext_lazy(
        "case.reply_draft_saved", "%(actor)s saved a draft of the reply to %(object)s"
    ),
    "case.reply_recalled": pgettext_lazy(
        "case.reply_recalled", "%(actor)s recalled the reply to %(object)s before review"
    ),
    "reply_template.changed": pgettext_lazy(
        "reply_template.changed", "%(actor)s changed %(object)s"
    ),
    "reply_template.created": pgettext_lazy("reply_template.created", "%(actor)s added %(object)s"),
    "reply_template.deleted": pgettext_lazy(
        "reply_template.deleted", "%(actor)s removed %(object)s"
    ),
    "case.reopen": pgettext_lazy("case.reopen", "%(actor)s reopened %(object)s"),
    "case.reply": pgettext_lazy("case.reply", "%(actor)s sent the reply to %(object)s"),
    "case.reply_drafted": pgettext_lazy(
        "case.reply_drafted", "%(actor)s drafted the reply to %(object)s for the head's review"
    ),
    "case.reply_returned": pgettext_lazy(
        "case.reply_returned", "%(actor)s sent the reply to %(object)s back"
    ),
    "case.request_extension": pgettext_lazy(
        "case.request_extension", "%(actor)s asked to extend %(object)s"
    ),
    "case.request_return": pgettext_lazy(
        "case.request_return", "%(actor)s asked to return %(object)s"
    ),
    "case.resume": pgettext_lazy("case.resume", "%(actor)s resumed %(object)s"),
    "case.return_withdrawn": pgettext_lazy(
        "case.return_withdrawn", "%(actor)s withdrew the return request of %(object)s"
    ),
    "case.reveal_requester": pgettext_lazy(
        "case.reveal_requester", "%(actor)s revealed the requester's contact details on %(object)s"
    ),
    "case.second_notice": pgettext_lazy(
        "case.second_notice", "%(actor)s sent a second notice on %(object)s"
    ),
    "case.sign_for": pgettext_lazy("case.sign_for", "%(actor)s signed for %(object)s"),
    "case.signal_prewarn": pgettext_lazy(
        "case.signal_prewarn", "%(actor)s raised a pre-warning on %(object)s"
    ),
    "case.signal_red": pgettext_lazy(
        "case.signal_red", "%(actor)s raised a red card on %(object)s"
    ),
    "case.signal_yellow": pgettext_lazy(
        "case.signal_yellow", "%(actor)s raised a yellow card on %(object)s"
    ),
    "case.supplement": pgettext_lazy(
        "case.supplement", "%(actor)s recorded the supplement to %(object)s"
    ),
    "case.suspend": pgettext_lazy("case.suspend", "%(actor)s suspended %(object)s"),
    "case.urgent_acknowledged": pgettext_lazy(
        "case.urgent_acknowledged", "%(actor)s acknowledged the urgent alert on %(object)s"
    ),
    "case.urgent_alert": pgettext_lazy(
        "case.urgent_alert", "%(actor)s sent an urgent alert on %(object)s"
    ),
    "case.urgent_escalated": pgettext_lazy(
        "case.urgent_escalated",
        "The urgent alert on %(object)s was not acknowledged in time and passed on",
    ),
    "case.withdraw": pgettext_lazy("case.withdraw", "%(actor)s withdrew %(object)s"),
    "cases.category.create": pgettext_lazy("cases.category.create", "%(actor)s created %(object)s"),
    "documents.download": pgettext_lazy(
        "documents.download", "%(actor)s downloaded a document of %(object)s"
    ),
    "emergencies.alert.acknowledge": pgettext_lazy(
        "emergencies.alert.acknowledge", "%(actor)s acknowledged the alert on %(object)s"
    ),
    "emergencies.alert.escalate": pgettext_lazy(
        "emergencies.alert.escalate", "%(actor)s passed the alert on %(object)s to the next person"
    ),
    "emergencies.alert.send": pgettext_lazy(
        "emergencies.alert.send", "%(actor)s sent an alert on %(object)s"
    ),
    "emergencies.deadline.prewarning": pgettext_lazy(
        "emergencies.deadline.prewarning",
        "%(actor)s warned that a report on %(object)s is nearly due",
    ),
    "emergencies.deadline.red": pgettext_lazy(
        "emergencies.deadline.red", "%(actor)s recorded that a report on %(object)s is overdue"
    ),
    "emergencies.drill.record": pgettext_lazy(
        "emergencies.drill.record", "%(actor)s recorded %(object)s"
    ),
    "emergencies.incident.end_response": pgettext_lazy(
        "emergencies.incident.end_response", "%(actor)s ended the response to %(object)s"
    ),
    "emergencies.incident.regrade": pgettext_lazy(
        "emergencies.incident.regrade", "%(actor)s changed the grade of %(object)s"
    ),
    "emergencies.incident.report": pgettext_lazy(
        "emergencies.incident.report", "%(actor)s reported %(object)s"
    ),
    "emergencies.outbound.open": pgettext_lazy(
        "emergencies.outbound.open", "%(actor)s opened an outside report on %(object)s"
    ),
    "emergencies.outbound.record": pgettext_lazy(
        "emergencies.outbound.record", "%(actor)s recorded an outside report on %(object)s"
    ),
    "emergencies.outbound.red": pgettext_lazy(
        "emergencies.outbound.red",
        "%(actor)s recorded that an outside report on %(object)s is overdue",
    ),
    "emergencies.plan.add": pgettext_lazy("emergencies.plan.add", "%(actor)s added %(object)s"),
    "emergencies.report.send": pgettext_lazy(
        "emergencies.report.send", "%(actor)s sent a report on %(object)s"
    ),
    "emergencies.requirement.remove": pgettext_lazy(
        "emergencies.requirement.remove", "%(actor)s removed %(object)s"
    ),
    "emergencies.requirement.set": pgettext_lazy(
        "emergencies.requirement.set", "%(actor)s set %(object)s"
    ),
    "emergencies.roster.fill": pgettext_lazy(
        "emergencies.roster.fill", "%(actor)s filled the duty roster of %(object)s"
    ),
    "emergencies.roster.gap_warning": pgettext_lazy(
        "emergencies.roster.gap_warning",
        "%(actor)s warned of gaps in the duty roster of %(object)s",
    ),
    "emergencies.roster.swap_decide": pgettext_lazy(
        "emergencies.roster.swap_decide", "%(actor)s decided %(object)s"
    ),
    "emergencies.roster.swap_request": pgettext_lazy(
        "emergencies.roster.swap_request", "%(actor)s asked for %(object)s"
    ),
    "emergencies.sms_reply": pgettext_lazy(
        "emergencies.sms_reply", "%(actor)s received %(object)s"
    ),
    "internal.ask": pgettext_lazy("internal.ask", "%(actor)s sent the request %(object)s"),
    "internal.card.prewarn": pgettext_lazy(
        "internal.card.prewarn", "%(actor)s raised a pre-warning on %(object)s"
    ),
    "internal.card.red": pgettext_lazy(
        "internal.card.red", "%(actor)s raised a red card on %(object)s"
    ),
    "internal.card.yellow": pgettext_lazy(
        "internal.card.yellow", "%(actor)s raised a yellow card on %(object)s"
    ),
    "internal.complete": pgettext_lazy("internal.complete", "%(actor)s reported %(object)s done"),
    "internal.confirm": pgettext_lazy(
        "internal.confirm", "%(actor)s confirmed receipt of the reply to %(object)s"
    ),
    "internal.draft": pgettext_lazy("internal.draft", "%(actor)s drafted the reply to %(object)s"),
    "internal.extension.decide": pgettext_lazy(
        "internal.extension.decide", "%(actor)s decided on the extension of %(object)s"
    ),
    "internal.extension.request": pgettext_lazy(
        "internal.extension.request", "%(actor)s asked to extend %(object)s"
    ),
    "internal.policy.seed": pgettext_lazy("internal.policy.seed", "%(actor)s set up %(object)s"),
    "internal.register": pgettext_lazy("internal.register", "%(actor)s registered %(object)s"),
    "internal.reply": pgettext_lazy("internal.reply", "%(actor)s returned the reply to %(object)s"),
    "internal.reroute.decide": pgettext_lazy(
        "internal.reroute.decide", "%(actor)s decided on re-routing %(object)s"
    ),
    "internal.reroute.request": pgettext_lazy(
        "internal.reroute.request", "%(actor)s asked to re-route %(object)s"
    ),
    "internal.route": pgettext_lazy("internal.route", "%(actor)s routed %(object)s to %(target)s"),
    "internal.sign": pgettext_lazy("internal.sign", "%(actor)s signed for %(object)s"),
    "internal.signoff": pgettext_lazy("internal.signoff", "%(actor)s signed off %(object)s"),
    "internal.supervise": pgettext_lazy(
        "internal.supervise", "%(actor)s put %(object)s under supervision"
    ),
    "supervision.callback.record": pgettext_lazy(
        "supervision.callback.record", "%(actor)s recorded a callback on %(object)s"
    ),
    "supervision.callback_policy.set": pgettext_lazy(
        "supervision.callback_policy.set", "%(actor)s changed %(object)s"
    ),
    "supervision.evidence.add": pgettext_lazy(
        "supervision.evidence.add", "%(actor)s added evidence to %(object)s"
    ),
    "supervision.finding.add": pgettext_lazy(
        "supervision.finding.add", "%(actor)s recorded %(object)s"
    ),
    "supervision.finding.violation": pgettext_lazy(
        "supervision.finding.violation", "%(actor)s recorded a violation from %(object)s"
    ),
    "supervision.inspection.create": pgettext_lazy(
        "supervision.inspection.create", "%(actor)s planned %(object)s"
    ),
    "supervision.order.accept": pgettext_lazy(
        "supervision.order.accept", "%(actor)s accepted the feedback on %(object)s"
    ),
    "supervision.order.create": pgettext_lazy(
        "supervision.order.create", "%(actor)s issued %(object)s"
    ),
    "supervision.order.feedback": pgettext_lazy(
        "supervision.order.feedback", "%(actor)s gave feedback on %(object)s"
    ),
    "supervision.order.overdue": pgettext_lazy(
        "supervision.order.overdue", "%(actor)s recorded that %(object)s is overdue"
    ),
    "supervision.order.return": pgettext_lazy(
        "supervision.order.return", "%(actor)s sent the feedback on %(object)s back"
    ),
    "supervision.reminder.send": pgettext_lazy(
        "supervision.reminder.send", "%(actor)s sent a reminder on %(object)s"
    ),
    "supervision.report.export": pgettext_lazy(
        "supervision.report.export", "%(actor)s exported the supervision orders (%(rows)s rows)"
    ),
    "triage.duplicate.merge": pgettext_lazy(
        "triage.duplicate.merge", "%(actor)s merged the duplicate %(object)s into %(into)s"
    ),
    "triage.model.train": pgettext_lazy("triage.model.train", "%(actor)s trained %(object)s"),
    "triage.repeat.alert": pgettext_lazy(
        "triage.repeat.alert", "%(actor)s flagged %(object)s as a repeat complaint"
    ),
}
