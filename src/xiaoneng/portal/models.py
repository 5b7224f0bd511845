"""The portal's own data: the keys of Open311 clients allowed to post requests."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Open311Key(models.Model):
    """An Open311 client's api_key; only its SHA-256 is stored, the key is shown once."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 key")
        verbose_name_plural = _("Open311 keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
