"""Removing personal data from free text before it is published (the patterns live in
``xiaoneng.privacy``, shared with titles made from content)."""

from __future__ import annotations

from xiaoneng.privacy import REDACTED as MASK
from xiaoneng.privacy import case_names, case_personal_values, redact

__all__ = ["MASK", "case_names", "case_personal_values", "redact"]
