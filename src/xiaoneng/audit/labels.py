"""The audit log in words: each action code as a sentence in the reader's language.

``ACTION_SENTENCES`` is the one table from action code to sentence template; each sentence's
translation context is its code, so one English verb may read differently in Chinese (the
sentences themselves are in ``labels_work.py`` and ``labels_admin.py``). A template names
``%(actor)s`` and, where the row has one, ``%(object)s``; a few name a detail read from the
row's summary that is never case content: ``%(target)s`` (the department a case or matter was
sent to), ``%(into)s`` (the case it was merged into), ``%(rows)s`` (the rows of an export) and
``%(username)s`` (the account name typed at sign-in). A code missing from the table reads as
the generic sentence of its family (``FAMILY_LABELS``), never as the code itself.

The audit app sits at the bottom of the layers, so the table holds words only; the page that
shows the rows decides which objects it may link to (``audit/sentences.py``).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.labels_admin import SENTENCES as ADMIN_SENTENCES
from xiaoneng.audit.labels_work import SENTENCES as WORK_SENTENCES

ACTION_SENTENCES: dict[str, Promise] = {**WORK_SENTENCES, **ADMIN_SENTENCES}

# Action codes end in a verb; their first part names the area of the system that acted.
FAMILY_LABELS: dict[str, Promise] = {
    "accountability": _("Sanctions and accountability"),
    "api": _("API"),
    "assessment": _("Assessment"),
    "audit": _("Audit log"),
    "campaigns": _("Study campaigns"),
    "case": _("Case work"),
    "cases": _("Case work"),
    "catalog": _("Service catalogue"),
    "documents": _("Documents"),
    "emergencies": _("Emergencies"),
    "evaluation": _("Evaluation"),
    "internal": _("Internal matters"),
    "notify": _("Notifications"),
    "org": _("Organisation"),
    "portal": _("Public portal"),
    "referrals": _("Hotline referral import"),
    "security": _("Security"),
    "supervision": _("Supervision"),
    "targets": _("Targets"),
    "triage": _("Triage"),
    "webhooks": _("Webhooks"),
    "workdays": _("Working-day calendar"),
}

# The kinds of object whose model gives no name in the reader's language (its verbose name is
# Django's default); every other kind reads as its model's verbose name.
OBJECT_NOUNS: dict[str, Promise] = {
    "applications.materialcheck": _("material check"),
    "campaigns.attendance": _("attendance"),
    "campaigns.participant": _("participant"),
    "campaigns.requirement": _("campaign requirement"),
    "campaigns.campaignreminder": _("campaign reminder"),
    "cases.attachment": _("attachment"),
    "cases.caseevent": _("case event"),
    "cases.extensionrequest": _("extension request"),
    "cases.returnrequest": _("return request"),
    "cases.signal": _("card"),
    "catalog.commitmententry": _("commitment entry"),
    "evaluation.invitation": _("invitation"),
    "evaluation.panel": _("evaluation panel"),
    "evaluation.response": _("evaluation response"),
    "evaluation.roundunit": _("unit under evaluation"),
    "supervision.callback": _("callback"),
    "supervision.evidence": _("inspection evidence"),
    "supervision.feedback": _("supervision feedback"),
    "supervision.finding": _("inspection finding"),
    "supervision.reminder": _("supervision reminder"),
    "triage.suggestion": _("department suggestion"),
}
# Bookkeeping rows that no action names as its object.
NO_NOUN_NEEDED = frozenset(
    {
        "api.apiidempotency",
        "assessment.casecount",
        "assessment.casefact",
        "assessment.repeatcomplaint",
        "assessment.rollup",
        "assessment.rollupcursor",
        "cases.casecounter",
        "documents.documentcounter",
        "evaluation.contacted",
        "evaluation.panelcount",
        "evaluation.phonecode",
        "evaluation.publicvoter",
        "evaluation.responseitem",
    }
)

EXPORT_SUFFIX = ".export"
UNKNOWN_WITH_OBJECT = _("%(actor)s did something in %(family)s to %(object)s")
UNKNOWN_NO_OBJECT = _("%(actor)s did something in %(family)s")
UNKNOWN_EXPORT = _("%(actor)s exported a list (%(rows)s rows)")
UNKNOWN_FAMILY = _("another part of the system")
NOBODY = _("The system")


def action_sentence(code: str, *, has_object: bool) -> Promise:
    """The sentence template of ``code``, or its family's when the table does not name it."""
    sentence = ACTION_SENTENCES.get(code)
    if sentence is not None:
        return sentence
    if code.endswith(EXPORT_SUFFIX):
        return UNKNOWN_EXPORT
    return UNKNOWN_WITH_OBJECT if has_object else UNKNOWN_NO_OBJECT


def family_label(code: str) -> Promise:
    return FAMILY_LABELS.get(code.split(".", 1)[0], UNKNOWN_FAMILY)
