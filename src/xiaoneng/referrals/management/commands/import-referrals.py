"""`xiaoneng import-referrals FILE --by USERNAME`: import a 12345 referral spreadsheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xiaoneng.errors import DomainError
from xiaoneng.referrals.models import ReferralImport
from xiaoneng.referrals.parsing import RowError
from xiaoneng.referrals.services import (
    referral_import_preview,
    referral_import_run,
    require_importer,
)

SHOWN_ERRORS = 200


class Command(BaseCommand):
    help = "Import the 12345 hotline centre's referral spreadsheet (.xlsx or .csv) as cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--by", required=True, help="Username of the importing officer")
        parser.add_argument(
            "--mode",
            choices=ReferralImport.Mode.values,
            default=ReferralImport.Mode.ALL_OR_NOTHING,
            help="all-or-nothing (default): any error stores nothing; good-rows: import the rest",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; store nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        user = get_user_model().objects.filter(username=options["by"]).first()
        if user is None:
            raise CommandError(_("No user named %(name)s.") % {"name": options["by"]})
        mode = options["mode"]
        try:
            require_importer(user)
            if options["dry_run"]:
                preview = referral_import_preview(file=path, sample_size=0, progress=self._progress)
                self.stdout.write(
                    _(
                        "Rows: %(rows)d, valid: %(good)d (already imported: %(dup)d), "
                        "with errors: %(bad)d. Nothing was stored."
                    )
                    % {
                        "rows": preview.rows,
                        "good": preview.good,
                        "dup": preview.already_imported,
                        "bad": preview.error_rows,
                    }
                )
                self._errors(preview.errors, preview.errors_truncated)
                failed = bool(preview.error_rows) and mode == ReferralImport.Mode.ALL_OR_NOTHING
            else:
                report = referral_import_run(by=user, file=path, mode=mode, progress=self._progress)
                self.stdout.write(
                    _(
                        "Import #%(id)d: %(status)s. Rows: %(rows)d, cases created: %(created)d, "
                        "already imported (skipped): %(skipped)d, rows with errors: %(bad)d, "
                        "%(seconds).1f s."
                    )
                    % {
                        "id": report.import_id,
                        "status": ReferralImport.Status(report.status).label,
                        "rows": report.rows,
                        "created": report.created,
                        "skipped": report.skipped,
                        "bad": report.error_rows,
                        "seconds": report.seconds,
                    }
                )
                if report.status == ReferralImport.Status.REFUSED:
                    raise CommandError(report.message, returncode=1)
                if report.message:
                    self.stdout.write(report.message)
                self._errors(report.errors, report.errors_truncated)
                failed = report.status != ReferralImport.Status.DONE
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        if failed:
            if options["dry_run"]:
                raise CommandError(_("The file has errors."), returncode=1)
            raise CommandError(_("Nothing was imported."), returncode=1)

    def _progress(self, phase: str, done: int, total: int) -> None:
        label = _("checked") if phase == "check" else _("imported")
        shown = f"{done}/{total}" if total else f"{done}"
        self.stderr.write(f"  {label}: {shown}")

    def _errors(self, errors: list[RowError], truncated: bool) -> None:
        if not errors:
            return
        self.stdout.write(_("Errors (row, column, message):"))
        for error in errors[:SHOWN_ERRORS]:
            self.stdout.write(f"  {error.row}\t{error.column or '-'}\t{error.message}")
        if truncated or len(errors) > SHOWN_ERRORS:
            self.stdout.write(_("  … more errors not shown."))
