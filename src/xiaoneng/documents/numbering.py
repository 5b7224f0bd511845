"""Document numbers (〔2026〕N号): one counter per document type and year, one number per
document. The number is given the first time a document is produced and kept after that."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from xiaoneng.documents.content import format_number
from xiaoneng.documents.models import DocumentCounter, IssuedDocument


def _locked_counter(kind: str, year: int) -> DocumentCounter:
    counter = DocumentCounter.objects.select_for_update().filter(kind=kind, year=year).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():
            DocumentCounter.objects.create(kind=kind, year=year, value=0)
    except IntegrityError:
        pass  # Another request created it first; lock theirs.
    return DocumentCounter.objects.select_for_update().get(kind=kind, year=year)


def document_number(*, kind: str, obj: Model) -> IssuedDocument:
    """The number of the ``kind`` document about ``obj``: given once, the same ever after."""
    owner_type, owner_id = obj._meta.label_lower, obj.pk
    with transaction.atomic():
        found = IssuedDocument.objects.filter(
            kind=kind, owner_type=owner_type, owner_id=owner_id
        ).first()
        if found is not None:
            return found
        now = timezone.now()
        year = timezone.localtime(now).year
        counter = _locked_counter(kind, year)
        # The counter lock serialises issuers of this kind; re-check under it.
        found = IssuedDocument.objects.filter(
            kind=kind, owner_type=owner_type, owner_id=owner_id
        ).first()
        if found is not None:
            return found
        counter.value += 1
        counter.save(update_fields=["value"])
        return IssuedDocument.objects.create(
            kind=kind,
            owner_type=owner_type,
            owner_id=owner_id,
            year=year,
            sequence=counter.value,
            number=format_number(kind, year, counter.value),
            issued_at=now,
        )
