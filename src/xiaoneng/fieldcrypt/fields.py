"""Model fields for personal data at rest: encrypted text and its keyed blind index.

``EncryptedTextField`` encrypts on the way to the database and decrypts on the way back, so
services, masking and the audited reveal work on clear values in memory and the table holds
ciphertext only. Equality on ciphertext means nothing (each value has its own nonce), so the
field refuses every lookup except "is it empty"; equality goes through a ``BlindIndexField``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from xiaoneng.fieldcrypt import datakeys


class _EmptyOnlyExact(Exact):
    """``field=""`` (has no value) still works; comparing with a value is a programming error."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.output_field.name} is encrypted: compare through its blind index."
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """Text stored as AES-GCM ciphertext bound to its table and column.

    ``max_length`` limits the clear value in forms; the column is text, as ciphertext is
    longer than the value."""

    def contribute_to_class(self, cls: Any, name: str, *args: Any, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.crypto_context = f"{cls._meta.db_table}.{self.column}"

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        return datakeys.decrypt(value, context=self.crypto_context)

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        value = self.get_prep_value(value)
        if value is None:
            return value
        return datakeys.encrypt(value, context=self.crypto_context)

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]  # django-stubs types the form class narrowly
        return super().formfield(**{"form_class": forms.CharField, "widget": None, **kwargs})


class BlindIndexField(models.CharField):
    """A keyed HMAC of another field's normalised value, for equality lookups on it.

    Filled from ``source`` whenever the row is saved (like ``auto_now``), so every writer
    through the ORM keeps it right; ``QuerySet.update`` and ``bulk_update`` must set it too."""

    def __init__(self, *args: Any, source: str = "", kind: str = "phone", **kwargs: Any) -> None:
        self.source, self.kind = source, kind
        kwargs.setdefault("max_length", 48)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"], kwargs["kind"] = self.source, self.kind
        for key, default in (("max_length", 48), ("blank", True), ("editable", False)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        if kwargs.get("default") == "":
            kwargs.pop("default")
        return name, path, args, kwargs

    def index_of(self, clear: str) -> str:
        return datakeys.blind_index(clear or "", kind=self.kind)

    def pre_save(self, model_instance: Any, add: bool) -> str:
        value = self.index_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value
