"""Keep the translation catalogs complete: Chinese (zh_Hans) and English (en).

python scripts/check_catalogs.py                  check: no missing, empty or fuzzy entry,
                                                  compiled .mo files match their .po files,
                                                  and (with GNU gettext) every source string
                                                  is in the catalogs
python scripts/check_catalogs.py --fill-english --compile
                                                  after makemessages: copy each English msgid
                                                  into the en catalog, then compile both
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "xiaoneng"
LOCALES = ("zh_Hans", "en")


def po_path(locale: str) -> Path:
    return PACKAGE / "locale" / locale / "LC_MESSAGES" / "django.po"


def fill_english() -> None:
    catalog = polib.pofile(str(po_path("en")))
    for entry in catalog:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalog.save()


def compile_all() -> None:
    for locale in LOCALES:
        path = po_path(locale)
        polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))


def problems_in(locale: str) -> list[str]:
    path = po_path(locale)
    if not path.exists():
        return [f"{path} is missing"]
    catalog = polib.pofile(str(path))
    found = []
    for entry in catalog:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            found.append(f"{locale}: fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                found.append(f"{locale}: untranslated plural: {entry.msgid!r}")
        elif not entry.msgstr:
            found.append(f"{locale}: untranslated: {entry.msgid!r}")
    mo_path = path.with_suffix(".mo")
    if not mo_path.exists():
        found.append(f"{mo_path} is missing: run make messages")
    else:
        compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo_path))}
        for entry in catalog.translated_entries():
            if (
                not entry.msgid_plural
                and compiled.get((entry.msgctxt, entry.msgid)) != entry.msgstr
            ):
                found.append(f"{locale}: .mo is stale for {entry.msgid!r}: run make messages")
                break
    return found


def missing_from_source() -> list[str]:
    """Extract the source strings afresh (needs xgettext) and list those not in the catalogs."""
    if shutil.which("xgettext") is None:
        print("note: GNU gettext not installed; source-to-catalog comparison skipped")
        return []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "xiaoneng"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "xiaoneng.settings"}
        subprocess.run(
            [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-location"],
            cwd=copy,
            env=env,
            check=True,
            capture_output=True,
        )
        fresh = {e.msgid for e in polib.pofile(str(copy / "locale/zh_Hans/LC_MESSAGES/django.po"))}
    found = []
    for locale in LOCALES:
        known = {e.msgid for e in polib.pofile(str(po_path(locale))) if not e.obsolete}
        found += [f"{locale}: not in catalog: {msgid!r}" for msgid in sorted(fresh - known)]
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fill-english", action="store_true")
    parser.add_argument("--compile", action="store_true")
    args = parser.parse_args()
    if args.fill_english:
        fill_english()
    if args.compile:
        compile_all()
    found = [problem for locale in LOCALES for problem in problems_in(locale)]
    found += missing_from_source()
    for problem in found:
        print(problem)
    if found:
        print(f"{len(found)} catalog problem(s); edit the .po files, then run make messages")
        return 1
    print("catalogs complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
