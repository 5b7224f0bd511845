"""`xiaoneng audit …`: verify the chain (and its signed checkpoints), checkpoint, keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xiaoneng.audit.checkpoints import (
    CheckpointReport,
    audit_checkpoint_write,
    audit_checkpoints_verify,
)
from xiaoneng.audit.keys import (
    audit_keyring,
    configured_signing_key,
    configured_verify_key,
    load_verify_key,
    new_audit_key,
    signer_fingerprint,
    signing_key_pair_write,
)
from xiaoneng.audit.selectors import ChainReport, audit_chain_verify
from xiaoneng.audit.services import audit_integrate, audit_key_rotate
from xiaoneng.errors import DomainError


class Command(BaseCommand):
    help = "Audit log tools: verify, checkpoint, rotate-key, keygen."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser(
            "verify", help="Recompute the chain's seals and report the first broken row."
        )
        verify.add_argument(
            "--checkpoints",
            metavar="DIR",
            help="Also prove that every signed checkpoint in DIR is a prefix of the chain.",
        )
        verify.add_argument(
            "--public-key",
            metavar="PEM",
            help="The checkpoints' public key (default: XIAONENG_AUDIT_VERIFY_KEY_FILE, else the "
            "public half of XIAONENG_AUDIT_SIGNING_KEY_FILE).",
        )
        checkpoint = sub.add_parser("checkpoint", help="Sign the chain's head now.")
        checkpoint.add_argument(
            "--dir", metavar="DIR", help="Where to append it (XIAONENG_AUDIT_CHECKPOINT_DIR)."
        )
        sub.add_parser(
            "rotate-key", help="Record that the chain moved to the current (first) audit key."
        )
        keygen = sub.add_parser(
            "keygen", help="Print a new chain key, or write a signing key pair with --signing."
        )
        keygen.add_argument(
            "--signing",
            metavar="PATH",
            help="Write a new Ed25519 private key to PATH and its public key to PATH.pub.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["subcommand"].replace("-", "_"))(options)
        except (DomainError, ImproperlyConfigured, FileExistsError) as exc:
            raise CommandError(str(exc)) from None

    def _verify(self, options: dict[str, Any]) -> None:
        # Entries still queued for the chain are sealed first, so the check covers them.
        audit_integrate()
        if not options["checkpoints"]:
            self._report_chain(audit_chain_verify())
            return
        directory = Path(options["checkpoints"])
        if not directory.is_dir():
            raise CommandError(_("%(dir)s is not a folder.") % {"dir": directory})
        if options["public_key"]:
            public_key = load_verify_key(options["public_key"])
        else:
            public_key = configured_verify_key()
        if public_key is None:
            raise CommandError(_("Give the checkpoints' public key with --public-key."))
        report = audit_checkpoints_verify(directory=directory, public_key=public_key)
        self._report_checkpoints(report)

    def _report_chain(self, report: ChainReport) -> None:
        if not report.ok:
            self.stderr.write(
                _("BROKEN: audit row %(id)s does not fit the chain: %(reason)s.")
                % {"id": report.broken_id, "reason": report.reason}
            )
            raise SystemExit(1)
        self.stdout.write(_("OK: %(rows)d audit rows, chain intact.") % {"rows": report.rows})
        if audit_keyring().derived:
            self.stdout.write(
                _(
                    "Warning: the chain key is derived from SECRET_KEY (development only); set "
                    "XIAONENG_AUDIT_KEY outside the database before real use."
                )
            )
        if report.legacy_rows:
            self.stdout.write(
                _(
                    "%(legacy)d of them were sealed before keyed chaining (plain SHA-256); "
                    "signed checkpoints protect them."
                )
                % {"legacy": report.legacy_rows}
            )

    def _report_checkpoints(self, report: CheckpointReport) -> None:
        if report.problem:
            self.stderr.write(_("BROKEN: %(problem)s") % {"problem": report.problem})
            raise SystemExit(1)
        self._report_chain(report.chain)
        if report.latest is None:
            self.stdout.write(_("No checkpoints found."))
            return
        self.stdout.write(
            _("%(count)d signed checkpoints verified; the latest covers row %(id)s (%(time)s).")
            % {"count": report.checkpoints, "id": report.latest.row_id, "time": report.latest.time}
        )

    def _checkpoint(self, options: dict[str, Any]) -> None:
        signing_key = configured_signing_key()
        if signing_key is None:
            raise CommandError(_("Set XIAONENG_AUDIT_SIGNING_KEY_FILE to sign checkpoints."))
        directory = Path(options["dir"] or settings.XIAONENG_AUDIT_CHECKPOINT_DIR)
        checkpoint = audit_checkpoint_write(signing_key=signing_key, directory=directory)
        if checkpoint is None:
            self.stdout.write(_("The audit log is empty: nothing to sign."))
            return
        self.stdout.write(
            _("Checkpoint signed: row %(id)s, %(rows)d rows, written to %(dir)s.")
            % {"id": checkpoint.row_id, "rows": checkpoint.rows, "dir": directory}
        )

    def _rotate_key(self, options: dict[str, Any]) -> None:
        entry = audit_key_rotate()
        self.stdout.write(
            _("Recorded in audit row %(id)s: key %(from)s replaced by %(to)s.")
            % {"id": entry.pk, "from": entry.summary["from_key"], "to": entry.summary["to_key"]}
        )

    def _keygen(self, options: dict[str, Any]) -> None:
        if not options["signing"]:
            self.stdout.write(new_audit_key())
            return
        path = Path(options["signing"])
        public_key = signing_key_pair_write(path)
        self.stdout.write(
            _("Private key written to %(path)s, public key to %(path)s.pub (fingerprint %(fp)s).")
            % {"path": path, "fp": signer_fingerprint(public_key)}
        )
