"""Importing the 12345 hotline centre's referral spreadsheet as hotline cases.

Each row is validated (the preview is that alone) and the good rows are registered set-wise
in chunks (``cases.services.registering``, the path of ``POST /api/v1/cases:batch``). In
all-or-nothing mode that is one streaming pass inside one outer transaction: after the first
bad row nothing more is registered, the rest of the file is only checked (to report every
error), and the transaction rolls back, so any failure stores nothing. In good-rows mode each
chunk commits on its own, so the whole file is checked in a first pass (a file refused half-way
stores nothing), and a failing chunk is retried row by row.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import audit_batch, log_action
from xiaoneng.cases.models import Case, CaseEvent
from xiaoneng.cases.services.registering import Prepared, prepare, register_prepared, registrar
from xiaoneng.deferred import deferred_inserts, insert, new_row
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.org.models import Staff, Unit
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import staff_for, user_roles
from xiaoneng.privacy import mask_name, mask_phone
from xiaoneng.referrals.models import ReferralImport
from xiaoneng.referrals.parsing import (
    CHANNEL,
    MAX_ROWS,
    Checked,
    FileRefused,
    Referral,
    RowError,
    checked_rows,
)
from xiaoneng.workdays.calendar import calendar_pinned

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor, User

IMPORTER_ROLES = frozenset({Role.INTAKE, Role.EFFICIENCY_OFFICE})
IMPORT_BATCH = 200
PREVIEW_ROWS = 20
PROGRESS_EVERY = 1000
MAX_REPORTED_ERRORS = 1000
DEADLINE_EVENT = "centre_deadline"

Progress = Callable[[str, int, int], None]  # (phase "check" | "import", done, total)
Mode = ReferralImport.Mode
Status = ReferralImport.Status


@dataclass
class Preview:
    rows: int = 0
    good: int = 0
    already_imported: int = 0
    error_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    errors_truncated: bool = False
    sample: list[dict[str, Any]] = field(default_factory=list)

    @property
    def to_import(self) -> int:
        return self.good - self.already_imported


@dataclass
class Report:
    import_id: int
    status: str
    rows: int = 0
    created: int = 0
    skipped: int = 0
    error_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    errors_truncated: bool = False
    seconds: float = 0.0
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status == Status.DONE and not self.error_rows


class _RowFailed(Exception):
    def __init__(self, error: RowError) -> None:
        super().__init__(error.message)
        self.error = error


def require_importer(by: User) -> None:
    if staff_for(by) is None or not user_roles(by) & IMPORTER_ROLES:
        raise PermissionDenied(
            _("Only first-contact officers and the efficiency office may import referrals.")
        )


@contextmanager
def _opened(file: Any, name: str = "") -> Iterator[tuple[IO[bytes], str]]:
    """A seekable binary handle on a path, an uploaded file, a stored file or a file object."""
    if isinstance(file, str | Path):
        with open(file, "rb") as handle:
            yield handle, name or Path(file).name
        return
    if hasattr(file, "open") and hasattr(file, "name"):
        file.open("rb")
        try:
            yield file, name or Path(file.name or "").name
        finally:
            file.seek(0)
        return
    yield file, name or Path(getattr(file, "name", "") or "").name


def _count(preview: Preview, item: Checked, *, sample_size: int) -> bool:
    """Add a checked row to the counts; whether it is good."""
    preview.rows += 1
    if item.errors:
        preview.error_rows += 1
        room = MAX_REPORTED_ERRORS - len(preview.errors)
        preview.errors.extend(item.errors[: max(room, 0)])
        preview.errors_truncated |= room < len(item.errors)
        return False
    preview.good += 1
    preview.already_imported += item.already_imported
    if len(preview.sample) < sample_size:
        preview.sample.append(_sample_row(item))
    return True


def _scan(handle: IO[bytes], name: str, *, sample_size: int, progress: Progress | None) -> Preview:
    preview = Preview()

    def on_row(count: int) -> None:
        if progress and count % PROGRESS_EVERY == 0:
            progress("check", count, 0)

    for item in checked_rows(handle, name, on_row=on_row):
        _count(preview, item, sample_size=sample_size)
    if progress:
        progress("check", preview.rows, preview.rows)
    return preview


def _sample_row(item: Checked) -> dict[str, Any]:
    referral = item.referral
    assert referral is not None
    return {
        "row": item.row,
        "external_number": referral.external_number,
        "received_at": timezone.localtime(referral.received_at),
        "requester": mask_name(referral.requester),
        "phone": mask_phone(referral.phone),
        "category": referral.category.name,
        "kind": referral.kind,
        "deadline": referral.deadline,
        "content": referral.content[:60],
        "already_imported": item.already_imported,
    }


def referral_import_preview(
    *, file: Any, name: str = "", sample_size: int = PREVIEW_ROWS, progress: Progress | None = None
) -> Preview:
    """Parse and validate the whole file; store nothing. Raises FileRefused for a bad file."""
    with _opened(file, name) as (handle, file_name):
        return _scan(handle, file_name, sample_size=sample_size, progress=progress)


def referral_upload_store(*, by: User, upload: Any) -> ReferralImport:
    """Keep an uploaded file (privately) until its importer confirms the preview."""
    require_importer(by)
    name = Path(upload.name or "referrals").name[:200]
    with transaction.atomic():
        record = ReferralImport(created_by=by, file_name=name, status=Status.PREVIEWED)
        record.upload.save(name, upload, save=False)
        record.save()
        log_action(
            action="referrals.upload",
            obj=record,
            actor=by,
            summary={"file": name, "bytes": getattr(upload, "size", None)},
        )
    return record


def _prepared(by: Actor, referral: Referral, place: tuple[Staff | None, bool, Unit]) -> Prepared:
    """A referral checked and built as a registration, nothing written yet. ``place``: the
    ``registrar`` of the chunk, the same for every row."""
    staff, pooled, owner = place
    return prepare(
        by=by,
        # A referral was taken by the hotline centre, not in person here: it waits in the
        # bureau's intake pool for its first-contact post.
        staff=staff,
        pooled=pooled,
        owner=owner,
        channel=CHANNEL,
        kind=referral.kind,
        category=referral.category,
        content=referral.content,
        requester_name=referral.requester,
        requester_phone=referral.phone,
        external_number=referral.external_number,
        registered_at=referral.received_at,
        # Urgent when the centre said so; else the category and words may suggest it.
        urgent=True if referral.urgent else None,
    )


def _deadline_event(by: Actor, case: Case, deadline: date, import_id: int) -> CaseEvent:
    # The case model has no field for a deadline set by the referring centre: it goes on the
    # timeline (internal), where the office sees it beside the case's own clocks.
    with override("zh-hans"):
        note = gettext("Deadline given by the hotline centre: %(date)s") % {
            "date": deadline.isoformat()
        }
    return new_row(
        CaseEvent,
        case=case,
        at=timezone.now(),
        actor=by,
        action=DEADLINE_EVENT,
        note=note,
        data={"deadline": deadline.isoformat(), "referral_import": import_id},
        public=False,
    )


def _store_batch(by: Actor, batch: list[Referral], import_id: int) -> tuple[int, int]:
    """Register a chunk of rows set-wise (``cases.services.registering``): each row checked as
    a single registration, then one ``INSERT`` per table for the whole chunk."""
    prepared = []
    place = registrar(by, unit=None, unit_concerned=None, in_person=False)
    for referral in batch:
        try:
            prepared.append(_prepared(by, referral, place))
        except DomainError as exc:
            raise _RowFailed(RowError(referral.row, "", str(exc))) from exc
    try:
        with transaction.atomic(), audit_batch(), deferred_inserts():
            results = register_prepared(prepared, by=by)
            insert(
                _deadline_event(by, registered.case, referral.deadline, import_id)
                for referral, registered in zip(batch, results, strict=True)
                if registered.created and referral.deadline is not None
            )
    except (DomainError, IntegrityError) as exc:
        # Which row: the caller retries the chunk row by row to find it.
        raise _RowFailed(RowError(batch[0].row, "", str(exc))) from exc
    created = sum(registered.created for registered in results)
    return created, len(results) - created


def _import(
    by: Actor,
    handle: IO[bytes],
    name: str,
    *,
    mode: str,
    import_id: int,
    progress: Progress | None,
    report: Report,
) -> tuple[Preview, list[RowError]]:
    """Check every row and register the good ones, in one pass; counts of the registered rows
    go straight into ``report`` so a crash keeps them. All or nothing: once a row is bad,
    nothing more is registered (the caller rolls back), the rest is only checked."""
    failures: list[RowError] = []
    checked = Preview()

    def flush(batch: list[Referral]) -> None:
        try:
            made, repeated = _store_batch(by, batch, import_id)
        except _RowFailed as exc:
            if mode == Mode.ALL_OR_NOTHING:
                raise
            # Good rows: the batch rolled back whole; redo it row by row, keeping the good.
            made = repeated = 0
            for referral in batch:
                try:
                    one_made, one_repeated = _store_batch(by, [referral], import_id)
                except _RowFailed as row_exc:
                    failures.append(row_exc.error)
                    continue
                made += one_made
                repeated += one_repeated
            del exc
        report.created += made
        report.skipped += repeated

    batch: list[Referral] = []
    for item in checked_rows(handle, name):
        good = _count(checked, item, sample_size=0)
        if progress and checked.rows % PROGRESS_EVERY == 0:
            progress("import", checked.rows, 0)
        rejected = mode == Mode.ALL_OR_NOTHING and checked.error_rows
        if not good or rejected:
            batch = [] if rejected else batch
            continue
        assert item.referral is not None
        if item.already_imported:
            report.skipped += 1
            continue
        batch.append(item.referral)
        if len(batch) >= IMPORT_BATCH:
            flush(batch)
            batch = []
    if batch:
        flush(batch)
    if progress:
        progress("import", checked.rows, checked.rows)
    return checked, failures


class _Rejected(Exception):
    """All or nothing, and a row was bad: the outer transaction rolls back."""


def _start(*, by: User, mode: str, name: str, pending: ReferralImport | None) -> ReferralImport:
    with transaction.atomic():
        if pending is None:
            return ReferralImport.objects.create(
                created_by=by, file_name=name[:200], mode=mode, status=Status.RUNNING
            )
        record = ReferralImport.objects.select_for_update().get(pk=pending.pk)
        if record.created_by_id != by.pk and Role.EFFICIENCY_OFFICE not in user_roles(by):
            raise PermissionDenied(_("Only the person who uploaded the file may import it."))
        if record.status != Status.PREVIEWED:
            raise DomainError(_("This file has already been imported or refused."))
        record.mode = mode
        record.status = Status.RUNNING
        record.save(update_fields=["mode", "status"])
        return record


def _finish(record: ReferralImport, by: Actor, report: Report) -> None:
    with transaction.atomic():
        record.status = report.status
        record.finished_at = timezone.now()
        record.rows_total = report.rows
        record.rows_created = report.created
        record.rows_skipped = report.skipped
        record.rows_error = report.error_rows
        record.seconds = round(report.seconds, 3)
        record.message = report.message
        record.errors = [error.as_list() for error in report.errors]
        record.errors_truncated = report.errors_truncated
        if record.upload:
            record.upload.delete(save=False)
        record.save()
        log_action(
            action="referrals.import",
            obj=record,
            actor=by,
            summary={
                "file": record.file_name,
                "mode": record.mode,
                "status": record.status,
                "rows": report.rows,
                "created": report.created,
                "skipped": report.skipped,
                "error_rows": report.error_rows,
            },
        )


def referral_import_run(
    *,
    by: User,
    file: Any = None,
    mode: str,
    progress: Progress | None = None,
    name: str = "",
    pending: ReferralImport | None = None,
) -> Report:
    """Import a referral file (or the ``pending`` upload) and record the run with its report."""
    require_importer(by)
    if mode not in Mode.values:
        raise DomainError(_("Unknown import mode."))
    if file is None and pending is None:
        raise DomainError(_("No file to import."))
    if pending is not None:
        name = name or pending.file_name
    elif not name:
        name = Path(getattr(file, "name", None) or str(file)).name
    record = _start(by=by, mode=mode, name=name, pending=pending)
    source = record.upload if pending is not None else file
    report = Report(import_id=record.pk, status=Status.RUNNING)
    started = time.perf_counter()
    try:
        with _opened(source, name) as (handle, file_name):
            all_or_nothing = mode == Mode.ALL_OR_NOTHING
            if not all_or_nothing:
                # Good rows commit chunk by chunk: the whole file is checked first, so that a
                # file refused half-way (damaged, too many rows) stores nothing.
                _scan(handle, file_name, sample_size=0, progress=progress)
                handle.seek(0)
            outer = transaction.atomic() if all_or_nothing else nullcontext()
            try:
                # The calendar's version is read once for the run instead of twice a row.
                with outer, calendar_pinned():
                    checked, failures = _import(
                        by,
                        handle,
                        file_name,
                        mode=mode,
                        import_id=record.pk,
                        progress=progress,
                        report=report,
                    )
                    if all_or_nothing and checked.error_rows:
                        raise _Rejected
            except _Rejected:
                report.status = Status.REJECTED
                report.created, report.skipped = 0, checked.already_imported
            else:
                report.status = Status.DONE
            report.rows, report.error_rows = checked.rows, checked.error_rows + len(failures)
            report.errors = sorted(checked.errors + failures, key=lambda e: e.row)[
                :MAX_REPORTED_ERRORS
            ]
            report.errors_truncated = checked.errors_truncated
    except FileRefused as exc:
        report.status = Status.REFUSED
        report.message = str(exc)
    except _RowFailed as exc:
        # All or nothing: the outer transaction rolled back every batch.
        report.status = Status.FAILED
        report.created = report.skipped = 0
        report.error_rows += 1
        report.errors = [exc.error]
        report.message = str(_("A row could not be registered; nothing was imported."))
    except Exception:
        report.status = Status.FAILED
        if mode == Mode.ALL_OR_NOTHING:
            report.created = report.skipped = 0
            report.message = str(
                _("The import stopped on an unexpected error; nothing was imported.")
            )
        else:
            report.message = str(
                _(
                    "The import stopped on an unexpected error after the counted rows. "
                    "Import the same file again: rows already imported are skipped."
                )
            )
        report.seconds = time.perf_counter() - started
        _finish(record, by, report)
        raise
    report.seconds = time.perf_counter() - started
    _finish(record, by, report)
    return report


__all__ = [
    "MAX_ROWS",
    "Preview",
    "Report",
    "referral_import_preview",
    "referral_import_run",
    "referral_upload_store",
    "require_importer",
]
