"""How alike two requests are: the score and the reasons of a near-duplicate.

Pure functions over what a request says (no database), shared by the selectors, the repeat
alerts and the benchmark. The text part is the Dice coefficient of the two texts' character
bigram sets, which survives rewording, word order and added politeness; the same school
(the unit concerned) or a place both name adds to it, and the same person (phone or ID number,
through the keyed blind index) makes a pair a candidate on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext

from xiaoneng.triage.text import SETTINGS, concepts, places, shingles

# At or above this a pair is shown as a likely duplicate.
DUPLICATE = 0.5
# Below this a pair is not shown at all.
SHOWN = 0.3
SCHOOL_BONUS = 0.12
PLACE_BONUS = 0.08
# The text must be at least this alike for the school or a place to count.
TOPICAL = 0.18
PERSON_FLOOR = 0.55
# Two requests naming two different schools are rarely one matter.
OTHER_SCHOOL = 0.4
# Two requests naming different matters (and none in common) are rarely one matter.
DIFFERENT_MATTERS = 0.6


@dataclass(frozen=True)
class Probe:
    """One request as the comparison sees it."""

    text: str
    school_id: int | None = None
    # Keyed blind indexes of the phone and the ID number (several while keys rotate).
    phones: frozenset[str] = field(default=frozenset())
    ids: frozenset[str] = field(default=frozenset())
    grams: frozenset[str] = field(default=frozenset())
    named_places: frozenset[str] = field(default=frozenset())
    matters: frozenset[str] = field(default=frozenset())

    @classmethod
    def of(
        cls,
        text: str,
        *,
        school_id: int | None = None,
        phones: frozenset[str] = frozenset(),
        ids: frozenset[str] = frozenset(),
    ) -> Probe:
        return cls(
            text=text,
            school_id=school_id,
            phones=frozenset(p for p in phones if p),
            ids=frozenset(i for i in ids if i),
            grams=shingles(text),
            named_places=places(text),
            matters=concepts(text),
        )


@dataclass(frozen=True)
class Match:
    score: float
    reasons: list[str]
    text: float
    person: bool


def text_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def _matters_alike(new: frozenset[str], old: frozenset[str]) -> tuple[float, bool]:
    """How alike the matters two texts name are, and whether they name different matters.
    A setting (the canteen, the weekend) is no matter of its own: when both texts name a real
    matter, only those are compared, and two texts whose real matters share nothing (a canteen
    price and a canteen food poisoning) are about different things however alike the words."""
    real_new, real_old = new - SETTINGS, old - SETTINGS
    if real_new and real_old:
        return text_similarity(real_new, real_old), not real_new & real_old
    return text_similarity(new, old), False


def compare(new: Probe, old: Probe) -> Match:
    """The score (0–1) that ``new`` is about the same matter as ``old``, with the reasons."""
    text = text_similarity(new.grams, old.grams)
    if new.matters and old.matters:
        alike, different = _matters_alike(new.matters, old.matters)
        text = (text + alike) / 2
        if different:
            text *= DIFFERENT_MATTERS
    score, reasons = text, []
    if new.school_id is not None and old.school_id is not None and new.school_id != old.school_id:
        score *= OTHER_SCHOOL
    if text >= TOPICAL:
        reasons.append(gettext("similar wording (%(score).2f)") % {"score": text})
        if new.school_id is not None and new.school_id == old.school_id:
            score += SCHOOL_BONUS
            reasons.append(gettext("same school"))
        shared = new.named_places & old.named_places
        if shared:
            score += PLACE_BONUS
            reasons.append(
                gettext("same place: %(places)s") % {"places": "、".join(sorted(shared))}
            )
    person = False
    if new.phones & old.phones:
        person = True
        reasons.insert(0, gettext("same phone number"))
    elif new.ids & old.ids:
        person = True
        reasons.insert(0, gettext("same ID number"))
    if person:
        score = max(score, PERSON_FLOOR) + 0.3 * text
    return Match(score=round(min(score, 1.0), 2), reasons=reasons, text=text, person=person)
