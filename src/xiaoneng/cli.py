"""The `xiaoneng` command: Xiaoneng's own commands plus every Django management command."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "xiaoneng"
    from django.core.exceptions import ImproperlyConfigured
    from django.db.utils import InterfaceError, OperationalError, ProgrammingError

    from xiaoneng.errors import DomainError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(argv)
    except DomainError as exc:
        print(f"xiaoneng: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    except ImproperlyConfigured as exc:
        # Operators get one line that says what to fix, never a traceback.
        print(f"xiaoneng: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    except (OperationalError, InterfaceError, ProgrammingError) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if _looks_unmigrated(first_line):
            print(
                f"xiaoneng: the database has no tables yet ({first_line}). "
                "Run `xiaoneng migrate` first.",
                file=sys.stderr,
            )
            raise SystemExit(3) from None
        if isinstance(exc, ProgrammingError):
            raise
        print(
            f"xiaoneng: the database cannot be reached ({first_line}). "
            "Check DATABASE_URL and that the database server is running.",
            file=sys.stderr,
        )
        raise SystemExit(3) from None


def _looks_unmigrated(message: str) -> bool:
    return "no such table" in message or ("relation" in message and "does not exist" in message)


if __name__ == "__main__":
    main()
