"""The user guide and its screenshots cannot drift apart: every picture the guide shows exists,
and every shot the browser test takes (tests/browser/guide_shots.py) is shown in the guide."""

from __future__ import annotations

import re
from pathlib import Path

from tests.browser.guide_shots import GUIDE_SHOTS

DOCS = Path(__file__).resolve().parents[2] / "docs"
IMAGE = re.compile(r"!\[([^\]]*)\]\((images/[^)\s]+)\)")


def guide_images() -> list[tuple[str, str]]:
    """(alt text, path) of every image in docs/user-guide.md."""
    return IMAGE.findall((DOCS / "user-guide.md").read_text(encoding="utf-8"))


def test_every_image_the_guide_shows_exists() -> None:
    images = guide_images()
    assert images, "the user guide shows no screenshot"
    missing = [path for _alt, path in images if not (DOCS / path).is_file()]
    assert not missing, f"the guide shows missing images: {missing}"


def test_every_declared_shot_is_in_the_guide_and_nothing_else() -> None:
    shown = {Path(path).stem for _alt, path in guide_images()}
    assert set(GUIDE_SHOTS) - shown == set(), "shots the guide does not show"
    assert shown - set(GUIDE_SHOTS) == set(), "pictures no browser test regenerates"
    assert all(path.endswith(".jpg") for _alt, path in guide_images())


def test_every_image_has_an_english_alt_text() -> None:
    for alt, path in guide_images():
        assert alt.strip(), f"{path} has no alt text"
        assert re.fullmatch(r"[\x20-\x7e]+", alt), f"{path}: the alt text is not English: {alt}"


def test_the_committed_images_are_the_declared_ones_and_small() -> None:
    files = {path.stem: path for path in (DOCS / "images").glob("*.jpg")}
    assert set(files) == set(GUIDE_SHOTS), "docs/images holds a picture no test declares"
    total = sum(path.stat().st_size for path in files.values())
    assert total < 3_000_000, f"the guide's pictures weigh {total} bytes (keep them under 3 MB)"
