"""Categories (topics) of cases: seeded with the education defaults, edited by the administrator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from xiaoneng.audit.services import log_action
from xiaoneng.cases.categories import DEFAULT_CATEGORIES, URGENT_CATEGORY_CODES
from xiaoneng.cases.models import Category

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor


def categories_seed(*, by: Actor = None) -> list[Category]:
    """Create the default categories that are missing; never touch existing ones."""
    created = []
    with transaction.atomic():
        for order, (code, name, name_en) in enumerate(DEFAULT_CATEGORIES):
            if Category.objects.filter(code=code).exists():
                continue
            category = Category.objects.create(
                code=code,
                name=name,
                name_en=name_en,
                sort_order=order,
                suggest_urgent=code in URGENT_CATEGORY_CODES,
            )
            log_action(action="cases.category.create", obj=category, actor=by)
            created.append(category)
    return created
