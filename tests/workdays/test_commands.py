"""The operator commands: ``deadline`` (one, stdin, --explain) and ``calendar load|status``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

pytestmark = pytest.mark.django_db


def run(*args: str, stdin: str | None = None) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    extra = {"stdin": StringIO(stdin)} if stdin is not None else {}
    with translation.override("en"):
        call_command(*args, stdout=out, stderr=err, **extra)
    return out.getvalue(), err.getvalue()


def test_deadline_prints_the_due_date(official: None) -> None:
    out, err = run("deadline", "2026-09-30", "5")
    assert out == "2026-10-13\n"
    assert err == ""


def test_deadline_in_calendar_days_and_hours(official: None) -> None:
    assert run("deadline", "2026-09-30", "3", "--unit", "days")[0] == "2026-10-08\n"
    assert run("deadline", "2026-09-28", "3", "--unit", "days", "--count-start")[0] == (
        "2026-09-30\n"
    )
    assert run("deadline", "2026-10-01T23:30", "2", "--unit", "hours")[0] == (
        "2026-10-02T01:30+08:00\n"
    )


def test_deadline_reads_lines_from_stdin_and_reports_bad_ones(official: None) -> None:
    lines = "2026-09-30 5\n2026-02-13 6 workdays\n2026-13-01 5\n\n2026-09-30 3 days\n2026-09-30 x\n"
    out, err = StringIO(), StringIO()
    with translation.override("en"), pytest.raises(CommandError) as failed:
        call_command("deadline", "-", stdin=StringIO(lines), stdout=out, stderr=err)
    assert out.getvalue().splitlines() == [
        "2026-10-13",
        "2026-02-28",
        "error: line 3: 2026-13-01 is not a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM).",
        "2026-10-08",
        "error: line 6: x is not a whole number.",
    ]
    assert failed.value.returncode == 1
    assert "2 of 5 lines" in str(failed.value)


def test_deadline_explain_shows_why(official: None) -> None:
    out, _ = run("deadline", "2026-09-30", "5", "--explain")
    lines = out.splitlines()
    assert lines[0] == "2026-10-13"
    text = "\n".join(lines)
    assert "Policy: none (limit given directly)" in text
    assert "Limit: 5 working days" in text
    assert "The start day is not counted (Civil Code art. 201)." in text
    # The holidays by their names in the output's language (English here).
    assert (
        "Days counted: 5 (2026-10-08…2026-10-09, 2026-10-10 National Day, 2026-10-12…2026-10-13)"
        in text
    )
    assert "Holidays skipped: 2026-10-01…2026-10-07 National Day" in text
    assert "Weekends skipped: 2026-10-11" in text
    assert "Make-up working days counted: 2026-10-10 National Day" in text
    assert "Due: 2026-10-13 23:59" in text


def test_deadline_explain_calendar_days_rolls_forward(official: None) -> None:
    out, _ = run("deadline", "2026-09-30", "3", "--unit", "days", "--explain")
    assert out.startswith("2026-10-08\n")
    assert "The last day, 2026-10-03, is not a working day" in out


def test_deadline_warns_when_provisional(official: None) -> None:
    out, err = run("deadline", "2026-12-25", "10")
    assert out == "2027-01-11\n"
    assert "2027" in err
    assert "Provisional" in err


def test_deadline_errors(official: None) -> None:
    with pytest.raises(CommandError, match="not a date"):
        run("deadline", "30/09/2026", "5")
    with pytest.raises(CommandError, match="Give START and N"):
        run("deadline", "2026-09-30")
    with pytest.raises(CommandError, match="No unit has the code"):
        run("deadline", "2026-09-30", "5", "--unit-code", "nowhere")
    with pytest.raises(CommandError, match="outside the calendar"):
        run("deadline", "2100-12-30", "5")


def test_calendar_load_and_status(db: None) -> None:
    out, _ = run("calendar", "load")
    assert out.startswith("Loaded 2004–2026 from chinesecalendar")
    out, err = run("calendar", "status", "--today", "2026-06-01")
    assert "Official holiday schedules loaded: 2004–2026" in out
    assert "Years missing (deadlines there are provisional): 2027" in out
    assert "Calendar OK." in out
    assert err == ""
    out, err = run("calendar", "status", "--today", "2026-11-02")
    assert "WARNING: the official holiday schedule for 2027 is not loaded" in err
    with pytest.raises(CommandError, match="needs attention"):
        run("calendar", "status", "--today", "2026-11-02", "--check")


def test_calendar_status_without_data(db: None) -> None:
    _, err = run("calendar", "status", "--today", "2026-06-01")
    assert "for 2026, the current year, is not loaded" in err


def test_deadline_on_a_units_local_calendar(official: None, unit: object) -> None:
    from datetime import date

    from xiaoneng.workdays.models import CalendarOverride
    from xiaoneng.workdays.services import calendar_override_set

    calendar_override_set(
        day=date(2026, 10, 12),
        kind=CalendarOverride.Kind.HOLIDAY,
        name="校庆",
        unit_id=unit.pk,
        by=None,
    )
    assert run("deadline", "2026-09-30", "5", "--unit-code", unit.code)[0] == "2026-10-14\n"
    assert run("deadline", "2026-09-30", "5")[0] == "2026-10-13\n"


@pytest.mark.parametrize(
    ("n", "unit"),
    [
        ("99999999", "hours"),  # beyond year 9999: OverflowError before
        ("900000", "hours"),  # beyond the calendar but a valid datetime
        ("100000", "months"),  # year 10 334: ValueError before
        ("99999999999999999999", "days"),
        ("99999999999999999999", "workdays"),
    ],
)
def test_deadline_beyond_the_calendar_is_a_clear_error(official: None, n: str, unit: str) -> None:
    with pytest.raises(CommandError, match="outside the calendar"):
        run("deadline", "2026-05-06", n, "--unit", unit)


def test_a_line_beyond_the_calendar_does_not_stop_the_batch(official: None) -> None:
    lines = (
        "2026-05-06 99999999 hours\n2026-09-30 5\n2026-05-06 100000 months\n"
        "2026-10-01T23:30 2 hours\n"
    )
    out, err = StringIO(), StringIO()
    with translation.override("en"), pytest.raises(CommandError) as failed:
        call_command("deadline", "-", stdin=StringIO(lines), stdout=out, stderr=err)
    assert out.getvalue().splitlines() == [
        "error: line 1: The date is outside the calendar (2000–2100).",
        "2026-10-13",
        "error: line 3: The date is outside the calendar (2000–2100).",
        "2026-10-02T01:30+08:00",
    ]
    assert "2 of 4 lines" in str(failed.value)
