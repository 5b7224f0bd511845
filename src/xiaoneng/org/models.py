"""Units, departments, posts with A and B holders, staff, and absences."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _english_page() -> bool:
    return (get_language() or "").startswith("en")


class User(AbstractUser):
    """A login. Staff details live in :class:`Staff`; public requesters need no account."""

    full_name = models.CharField(_("full name"), max_length=64, blank=True)

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]  # not in django-stubs
        swappable = "AUTH_USER_MODEL"
        permissions = [("assign_roles", _("Can assign roles to staff"))]

    def __str__(self) -> str:
        return self.full_name or self.username


class Unit(models.Model):
    class Kind(models.TextChoices):
        BUREAU = "bureau", _("Bureau")
        SCHOOL = "school", _("School")
        OTHER = "other", _("Other body")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    # Read instead of the Chinese names when the page is in English (blank: the Chinese names).
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    enquiry_phone = models.CharField(_("enquiry phone"), max_length=32, blank=True)
    supervision_phone = models.CharField(_("supervision phone"), max_length=32, blank=True)
    reply_review_required = models.BooleanField(
        _("replies reviewed by the head"),
        default=True,
        help_text=_("A handler's reply goes out only after the department head approves it."),
    )
    # The post that works the unit's intake pool (待受理): requests not registered in person
    # land in the pool of their receiving unit, and this post's acting holder accepts them.
    first_contact_post = models.ForeignKey(
        "Post",
        verbose_name=_("first-contact post"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Its A holder (B while A is away, else the head) works the intake pool."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Pupils enrolled (schools): complaints about the school are also shown per 1 000 pupils.
    enrolment = models.PositiveIntegerField(_("pupils enrolled"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The full name in the active language: the English name on English pages when set."""
        if self.name_en and _english_page():
            return self.name_en
        return self.name

    @property
    def short_label(self) -> str:
        """The short name where there is one (市教育局), or the English name on English pages."""
        if self.name_en and _english_page():
            return self.name_en
        return self.short_name or self.name


class Department(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="departments"
    )
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    # Read instead of the Chinese name when the page is in English (blank: the Chinese name).
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    duties = models.TextField(
        _("duties"), blank=True, help_text=_("The department's remit (职能).")
    )
    head = models.ForeignKey(
        "Staff",
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["unit", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="org_department_unit_code"),
            models.UniqueConstraint(fields=["unit", "name"], name="org_department_unit_name"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language: the English name on English pages when there is one."""
        if self.name_en and _english_page():
            return self.name_en
        return self.name


class Staff(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="staff",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="staff"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    title = models.CharField(_("job title"), max_length=64, blank=True)
    phone = models.CharField(_("office phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["unit", "department", "id"]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def name(self) -> str:
        return str(self.user)


class Post(models.Model):
    """A post (岗位) with written duties, an A holder and a B backup (AB岗)."""

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="posts"
    )
    name = models.CharField(_("name"), max_length=100)
    # Read instead of the Chinese name when the page is in English (blank: the Chinese name).
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    duties = models.TextField(_("duties"), blank=True)
    a_holder = models.ForeignKey(
        Staff,
        verbose_name=_("A holder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="a_posts",
    )
    b_holder = models.ForeignKey(
        Staff,
        verbose_name=_("B holder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="b_posts",
    )

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["department", "id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="org_post_dept_name"),
            models.CheckConstraint(
                condition=Q(a_holder__isnull=True)
                | Q(b_holder__isnull=True)
                | ~Q(a_holder=F("b_holder")),
                name="org_post_a_is_not_b",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language: the English name on English pages when there is one."""
        if self.name_en and _english_page():
            return self.name_en
        return self.name


class Absence(models.Model):
    class Kind(models.TextChoices):
        LEAVE = "leave", _("Leave")
        BUSINESS_TRIP = "business_trip", _("Business trip")
        TRAINING = "training", _("Training")
        OTHER = "other", _("Other")

    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="absences"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    head_covers = models.BooleanField(
        _("department head covers"),
        default=False,
        help_text=_("Required when the other holder of a post is away at the same time."),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["staff", "starts_at", "ends_at"], name="org_absence_span")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="org_absence_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.get_kind_display()}"
