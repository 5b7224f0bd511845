"""Text search over cases: the case list's search box.

On PostgreSQL a GIN index covers the character bigrams of each case's title and content
(``xn_bigrams``, migration ``cases.0011``): a search of two characters or more first asks the
index for the cases holding every bigram of the words, then checks the exact text with LIKE, so
the result is exactly that of LIKE alone. A Chinese word of two characters is one bigram, one
index entry. One character (or only spaced characters) has no bigram: LIKE alone, which walks
the list's own order until it has a page. SQLite keeps LIKE.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

# The expression the index is built on, word for word (the planner matches it textually).
BIGRAMS_SQL = 'xn_bigrams("cases_case"."title" || \' \' || "cases_case"."content")'


def text_bigrams(text: str) -> list[str]:
    """The bigrams ``xn_bigrams`` makes of ``text``: lower-cased, none with white space."""
    lowered = text.lower()
    grams = {lowered[i : i + 2] for i in range(len(lowered) - 1)}
    return sorted(gram for gram in grams if not any(char.isspace() for char in gram))


def _tsquery(grams: list[str]) -> str:
    """Every bigram required, each quoted as a lexeme (``'it''s'``), no parsing or stemming."""
    quoted = ("'" + gram.replace("\\", "\\\\").replace("'", "''") + "'" for gram in grams)
    return " & ".join(quoted)


def case_text_matches(text: str) -> Q:
    """Cases whose title or content contains ``text`` (any case), or whose number or tracking
    code it is."""
    contains = Q(title__icontains=text) | Q(content__icontains=text)
    grams = text_bigrams(text)
    if grams and connection.vendor == "postgresql":
        indexed = RawSQL(f"{BIGRAMS_SQL} @@ %s::tsquery", [_tsquery(grams)], BooleanField())
        contains = Q(indexed) & contains
    return contains | Q(number=text) | Q(tracking_code=text.upper())
