"""``xiaoneng deadline START N``: compute a due date on the official calendar.

``xiaoneng deadline -`` reads one ``START N [UNIT]`` per line from standard input and prints
one result per line, in order; a bad line prints ``error: line N: …`` in its place (so the
output stays aligned with the input) and the command exits non-zero at the end.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from xiaoneng.org.models import Unit
from xiaoneng.workdays.arithmetic import CalendarRangeError
from xiaoneng.workdays.deadlines import office_tz
from xiaoneng.workdays.explain import Explanation, explain_deadline
from xiaoneng.workdays.periods import Counting

UNITS = [counting.value for counting in Counting]


class LineError(Exception):
    """A request that cannot be computed; the message is for the operator."""


def parse_start(text: str) -> date | datetime:
    try:
        if "T" in text or " " in text:
            return datetime.fromisoformat(text)
        return date.fromisoformat(text)
    except ValueError:
        raise LineError(
            _("%(value)s is not a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM).")
            % {"value": text}
        ) from None


def parse_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise LineError(_("%(value)s is not a whole number.") % {"value": text}) from None
    if value < 0:
        raise LineError(_("The number of units cannot be negative."))
    return value


def parse_unit(text: str) -> Counting:
    if text not in UNITS:
        raise LineError(
            _("Unknown unit %(value)s; use one of: %(units)s.")
            % {"value": text, "units": ", ".join(UNITS)}
        )
    return Counting(text)


class Command(BaseCommand):
    help = "Compute a deadline: START plus N working days, calendar days, months or hours."
    # Tests pass a file object as ``stdin=`` to call_command.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("start", help="YYYY-MM-DD, YYYY-MM-DDTHH:MM, or - to read stdin")
        parser.add_argument("n", nargs="?", help="how many units")
        parser.add_argument("--unit", default=Counting.WORKDAYS.value, choices=UNITS)
        parser.add_argument(
            "--count-start",
            action="store_true",
            help="count the start day (by law it is not counted)",
        )
        parser.add_argument("--unit-code", help="use this unit's local calendar")
        parser.add_argument("--closing-time", help="HH:MM at which deadlines end")
        parser.add_argument("--explain", action="store_true", help="show how the date came out")
        parser.add_argument("--language", help="language of messages, e.g. en or zh-hans")

    def handle(self, *args: Any, **options: Any) -> None:
        language = options["language"]
        if language:
            with override(language):
                self._handle(**options)
        else:
            self._handle(**options)

    def _handle(self, **options: Any) -> None:
        unit_id = self._unit_id(options["unit_code"])
        closing = self._closing_time(options["closing_time"])
        if options["start"] == "-":
            self._from_stdin(options, unit_id=unit_id, closing=closing)
            return
        if options["n"] is None:
            raise CommandError(_("Give START and N, or - to read lines from standard input."))
        try:
            explanation = self._compute(
                parse_start(options["start"]),
                parse_count(options["n"]),
                Counting(options["unit"]),
                count_start=options["count_start"],
                unit_id=unit_id,
                closing=closing,
            )
        except LineError as exc:
            raise CommandError(str(exc)) from None
        self._print(explanation, explain=options["explain"])
        self._warn_provisional([explanation])

    def _from_stdin(
        self, options: dict[str, Any], *, unit_id: int | None, closing: time | None
    ) -> None:
        stdin = options.get("stdin") or sys.stdin
        bad = 0
        total = 0
        results: list[Explanation] = []
        for number, raw in enumerate(stdin, start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            total += 1
            try:
                parts = line.split()
                if len(parts) not in (2, 3):
                    raise LineError(_("Expected START N [UNIT]."))
                unit = parse_unit(parts[2]) if len(parts) == 3 else Counting(options["unit"])
                explanation = self._compute(
                    parse_start(parts[0]),
                    parse_count(parts[1]),
                    unit,
                    count_start=options["count_start"],
                    unit_id=unit_id,
                    closing=closing,
                )
            except LineError as exc:
                bad += 1
                self.stdout.write(
                    _("error: line %(line)d: %(message)s") % {"line": number, "message": exc}
                )
                continue
            results.append(explanation)
            self._print(explanation, explain=options["explain"])
        self._warn_provisional(results)
        if bad:
            raise CommandError(
                _("%(bad)d of %(total)d lines could not be computed.")
                % {"bad": bad, "total": total},
                returncode=1,
            )

    def _compute(
        self,
        start: date | datetime,
        n: int,
        unit: Counting,
        *,
        count_start: bool,
        unit_id: int | None,
        closing: time | None,
    ) -> Explanation:
        if isinstance(start, datetime) and timezone.is_naive(start):
            start = start.replace(tzinfo=office_tz())
        try:
            return explain_deadline(
                start=start,
                limit=n,
                counting=unit,
                count_start=count_start,
                unit_id=unit_id,
                closing_time=closing,
            )
        except CalendarRangeError:
            raise LineError(_("The date is outside the calendar (2000–2100).")) from None

    def _print(self, explanation: Explanation, *, explain: bool) -> None:
        if explanation.counting == Counting.HOURS:
            due = timezone.localtime(explanation.due_at, office_tz()).isoformat(timespec="minutes")
        else:
            due = explanation.due_date.isoformat()
        self.stdout.write(due)
        if explain:
            for line in explanation.lines():
                self.stdout.write(f"  {line}")

    def _warn_provisional(self, results: list[Explanation]) -> None:
        years = sorted({year for result in results for year in result.provisional_years})
        if years:
            self.stderr.write(
                _(
                    "Provisional: no official holiday schedule is loaded for %(years)s; "
                    "see xiaoneng calendar status."
                )
                % {"years": ", ".join(map(str, years))}
            )

    def _unit_id(self, code: str | None) -> int | None:
        if not code:
            return None
        unit_id = Unit.objects.filter(code=code).values_list("pk", flat=True).first()
        if unit_id is None:
            raise CommandError(_("No unit has the code %(code)s.") % {"code": code})
        return unit_id

    def _closing_time(self, text: str | None) -> time | None:
        if not text:
            return None
        try:
            return time.fromisoformat(text)
        except ValueError:
            raise CommandError(
                _("%(value)s is not a time of day (HH:MM).") % {"value": text}
            ) from None
