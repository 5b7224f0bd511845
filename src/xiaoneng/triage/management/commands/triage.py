"""``xiaoneng triage train [--unit CODE]`` and ``xiaoneng triage suggest [--unit CODE] -``.

``suggest`` reads one request per line from standard input (UTF-8) and prints one line per
input line: up to three ``DEPARTMENT_CODE<TAB>CONFIDENCE`` pairs, tab-separated, best first,
confidence with two decimals; an empty line when the model does not know (or the line is empty).
"""

from __future__ import annotations

import io
import sys
from argparse import ArgumentParser
from collections.abc import Iterable
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from xiaoneng.org.models import Unit
from xiaoneng.triage.selectors import bureau, suggest
from xiaoneng.triage.services import receiving_units, routing_model_train


def _unit(code: str | None) -> Unit:
    unit = Unit.objects.filter(code=code).first() if code else bureau()
    if unit is None:
        raise CommandError(_("No unit with the code %(code)s.") % {"code": code or "bureau"})
    return unit


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


class Command(BaseCommand):
    # Tests pass a file object as ``stdin=`` to call_command.
    stealth_options = ("stdin",)
    help = "Train the routing model, or suggest lead departments for requests read from stdin."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        train = commands.add_parser("train", help="Retrain and print the held-out accuracy.")
        train.add_argument("--unit", help="Unit code (default: every receiving unit).")
        suggest_parser = commands.add_parser("suggest", help="One request per line on stdin.")
        suggest_parser.add_argument("--unit", help="Unit code (default: the bureau).")
        suggest_parser.add_argument("source", choices=["-"], help="'-': read standard input.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "train":
            self._train(options.get("unit"))
        else:
            stream = options.get("stdin") or io.TextIOWrapper(
                sys.stdin.buffer, encoding="utf-8", errors="replace"
            )
            self._suggest(_unit(options.get("unit")), stream)

    def _train(self, code: str | None) -> None:
        units = [_unit(code)] if code else receiving_units()
        for unit in units:
            trained = routing_model_train(unit=unit)
            model = trained.model
            self.stdout.write(
                _(
                    "%(unit)s: version %(version)d, %(cases)d past cases, %(departments)d "
                    "departments, %(seconds).1f s; held-out %(held)d cases: top-1 %(top1)s, "
                    "top-3 %(top3)s"
                )
                % {
                    "unit": unit.code,
                    "version": model.version,
                    "cases": model.cases,
                    "departments": model.departments,
                    "seconds": model.seconds,
                    "held": model.held_out,
                    "top1": _percent(model.top1),
                    "top3": _percent(model.top3),
                }
            )

    def _suggest(self, unit: Unit, stream: Iterable[str]) -> None:
        for line in stream:
            found, _version = suggest(line.rstrip("\r\n"), unit=unit)
            self.stdout.write("\t".join(f"{s.department.code}\t{s.confidence:.2f}" for s in found))
            self.stdout.flush()
