"""The reply composer: templates and snippets per unit, the draft reply and its recall.

The reply itself (submitting for review, the head's review, issuing) is in ``closing.py``; the
draft row (``ReplyDraft``) holds the text until the reply is issued, so nothing unreviewed ever
reaches ``Case.reply_text``, which the public pages read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.cases.models import Case, Category, ReplyDraft, ReplyGrade, ReplyTemplate
from xiaoneng.cases.models_reply import MAX_TEMPLATE_BODY
from xiaoneng.cases.notifications import notify_staff
from xiaoneng.cases.services.attachments import attachment_add
from xiaoneng.cases.services.steps import (
    is_repeat,
    lock,
    now,
    record,
    require_lead_department,
    require_staff,
    require_state,
    require_text,
)
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.org.models import Staff, Unit

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

MAX_REPLY_FILES = 10


# -- templates and snippets ---------------------------------------------------------------------


def may_edit_templates(staff: Staff | None, unit_id: int | None) -> bool:
    """A unit's templates are edited by the heads of its departments."""
    return (
        staff is not None
        and unit_id is not None
        and staff.headed_departments.filter(unit_id=unit_id).exists()
    )


def _template_fields(kind: str, title: str, body: str) -> tuple[str, str]:
    if kind not in ReplyTemplate.Kind.values:
        raise DomainError(_("Choose what kind of text this is."))
    title = require_text(title, _("Please give the template a title."))[:80]
    body = require_text(body, _("Please write the template's text."))
    if len(body) > MAX_TEMPLATE_BODY:
        raise DomainError(
            _("The text must not exceed %(max)d characters (now %(n)d).")
            % {"max": MAX_TEMPLATE_BODY, "n": len(body)}
        )
    return title, body


def reply_template_save(
    *,
    by: User,
    unit: Unit,
    kind: str,
    title: str,
    body: str,
    category: Category | None = None,
    template: ReplyTemplate | None = None,
) -> ReplyTemplate:
    """Create a template of ``unit`` (``template`` None) or change one of its templates."""
    staff = require_staff(by)
    title, body = _template_fields(kind, title, body)
    with transaction.atomic():
        if template is not None:
            template = ReplyTemplate.objects.select_for_update().get(pk=template.pk)
            unit_id = template.unit_id
        else:
            unit_id = unit.pk
        if not may_edit_templates(staff, unit_id):
            raise PermissionDenied(_("Only the unit's department heads edit its reply templates."))
        created = template is None
        if template is None:
            template = ReplyTemplate(unit_id=unit_id)
        template.kind, template.title, template.body = kind, title, body
        template.category = category
        template.is_active = True
        template.updated_at, template.updated_by = now(), staff
        template.save()
        log_action(
            action="reply_template.created" if created else "reply_template.changed",
            obj=template,
            unit_id=unit_id,
            summary={"title": title, "kind": kind, "category": category.pk if category else None},
        )
    return template


def reply_template_delete(*, by: User, template: ReplyTemplate) -> None:
    staff = require_staff(by)
    with transaction.atomic():
        template = ReplyTemplate.objects.select_for_update().get(pk=template.pk)
        if not may_edit_templates(staff, template.unit_id):
            raise PermissionDenied(_("Only the unit's department heads edit its reply templates."))
        log_action(
            action="reply_template.deleted",
            obj=template,
            unit_id=template.unit_id,
            summary={"title": template.title, "kind": template.kind},
        )
        template.delete()


# -- the draft reply ----------------------------------------------------------------------------


def check_grade(grade: str) -> str:
    if grade and grade not in ReplyGrade.values:
        raise DomainError(_("Unknown grade."))
    return grade


def attach_reply_files(case: Case, by: User, files: Sequence[UploadedFile]) -> None:
    """Keep the files sent with the reply (checked like every upload: web.uploads)."""
    if len(files) > MAX_REPLY_FILES:
        raise DomainError(_("At most %(max)d files at a time.") % {"max": MAX_REPLY_FILES})
    for file in files:
        attachment_add(case=case, file=file, by=by, for_reply=True)


def store_draft(
    case: Case, staff: Staff, *, text: str, grade: str, status: str, at: object
) -> ReplyDraft:
    """Create or overwrite the case's draft row (the caller holds the case's lock)."""
    draft, _created = ReplyDraft.objects.update_or_create(
        case=case,
        defaults={
            "text": text,
            "grade": grade,
            "status": status,
            "author": staff,
            "saved_at": at,
            "submitted_at": at if status == ReplyDraft.Status.SUBMITTED else None,
            "review_note": "",
        },
    )
    return draft


def reply_draft_save(
    *, case: Case, by: User, text: str, grade: str = "", files: Sequence[UploadedFile] = ()
) -> ReplyDraft:
    """Save the reply being written, to finish later: only the lead department sees it."""
    text = require_text(text, _("Please write the reply."))
    grade = check_grade(grade)
    with transaction.atomic():
        case = lock(case)
        draft = ReplyDraft.objects.select_for_update().filter(case=case).first()
        if (
            draft is not None
            and (draft.text, draft.grade, draft.status) == (text, grade, ReplyDraft.Status.DRAFT)
            and not files
        ):
            return draft  # a repeated save (double click) changes nothing
        staff = require_lead_department(by, case)
        require_state(case, "save_reply_draft")
        if case.reply_pending_review:
            raise DomainError(
                _("The reply is waiting for the head's review: recall it before changing it.")
            )
        at = now()
        draft = store_draft(
            case, staff, text=text, grade=grade, status=ReplyDraft.Status.DRAFT, at=at
        )
        attach_reply_files(case, by, files)
        record(
            case,
            action="reply_draft_saved",
            user=by,
            from_state=case.state,
            data={"length": len(text), "files": len(files)},
            public=False,
            at=at,
        )
    return draft


def case_recall_reply(*, case: Case, by: User) -> Case:
    """Take back a reply submitted for review before the head has reviewed it: it becomes a
    draft again, to change and submit anew."""
    staff = require_staff(by)
    with transaction.atomic():
        case = lock(case)
        if is_repeat(case, "reply_recalled", by):
            return case
        require_state(case, "recall_reply")
        draft = ReplyDraft.objects.select_for_update().filter(case=case).first()
        if (
            not case.reply_pending_review
            or draft is None
            or draft.status != ReplyDraft.Status.SUBMITTED
        ):
            raise DomainError(
                _("There is no reply waiting for review to recall: it was reviewed already."),
                code="illegal_transition",
            )
        if draft.author_id != staff.pk:
            raise PermissionDenied(_("Only the person who submitted the reply may recall it."))
        case.reply_pending_review = False
        case.save()
        draft.status, draft.submitted_at = ReplyDraft.Status.DRAFT, None
        draft.save(update_fields=["status", "submitted_at"])
        record(case, action="reply_recalled", user=by, from_state=case.state, public=False)
        head = case.lead_department.head if case.lead_department_id else None  # type: ignore[union-attr]
        notify_staff(
            case,
            [head],
            kind="case.reply_recalled",
            subject=gettext("A reply you were to review was recalled"),
        )
    return case
