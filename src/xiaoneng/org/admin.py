"""Django admin for the system and security administrators, until the office pages replace it.

Every save goes through a transaction with its audit row; role changes go through the service
that enforces the separation of the three administrator roles.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.errors import DomainError
from xiaoneng.org.models import Absence, Department, Post, Staff, Unit, User
from xiaoneng.org.roles import ADMIN_ROLES
from xiaoneng.org.services import absence_check, absence_record, roles_validate


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            verb = "update" if change else "create"
            changed = sorted(form.changed_data) if change else []
            log_action(
                action=f"{obj._meta.label_lower}.{verb}",
                obj=obj,
                actor=request.user,
                summary={"fields": changed},
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            log_action(action=f"{obj._meta.label_lower}.delete", obj=obj, actor=request.user)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ("name", "code", "kind", "parent", "enrolment", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ("name", "unit", "code", "head", "is_active")
    list_filter = ("unit",)
    search_fields = ("name", "code")
    autocomplete_fields = ("head",)


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ("department", "name", "name_en", "duties", "a_holder", "b_holder")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        a, b = data.get("a_holder"), data.get("b_holder")
        if a is not None and a == b:
            raise forms.ValidationError(
                _("The A holder and the B holder of a post must be two people.")
            )
        return data


@admin.register(Post)
class PostAdmin(AuditedAdmin):
    form = PostForm
    list_display = ("name", "department", "a_holder", "b_holder")
    list_filter = ("department__unit",)
    autocomplete_fields = ("a_holder", "b_holder")


@admin.register(Staff)
class StaffAdmin(AuditedAdmin):
    list_display = ("__str__", "unit", "department", "title")
    list_filter = ("unit",)
    search_fields = ("user__username", "user__full_name")


class AbsenceForm(forms.ModelForm):
    class Meta:
        model = Absence
        fields = ("staff", "starts_at", "ends_at", "kind", "note", "head_covers")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        try:
            absence_check(
                staff=data["staff"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                kind=data["kind"],
                head_covers=data.get("head_covers", False),
            )
        except DomainError as exc:
            raise forms.ValidationError(str(exc)) from None
        return data


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    form = AbsenceForm
    list_display = ("staff", "kind", "starts_at", "ends_at", "head_covers")
    autocomplete_fields = ("staff",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # An absence is recorded or cancelled, never silently edited.

    def save_model(self, request: HttpRequest, obj: Absence, form: Any, change: bool) -> None:
        created = absence_record(
            staff=obj.staff,
            starts_at=obj.starts_at,
            ends_at=obj.ends_at,
            kind=obj.kind,
            note=obj.note,
            head_covers=obj.head_covers,
            by=request.user,
        )
        obj.pk = created.pk


class UserForm(forms.ModelForm):
    def clean_groups(self) -> Any:
        groups = self.cleaned_data.get("groups")
        try:
            roles_validate(group.name for group in groups or [])
        except DomainError as exc:
            raise forms.ValidationError(str(exc)) from None
        return groups


class PasswordSetForm(AdminPasswordChangeForm):
    """The administrator's "set password" form: the new password and its audit row commit
    together (the action is recorded, never the password)."""

    def save(self, commit: bool = True) -> Any:
        with transaction.atomic():
            user = super().save(commit=commit)
            log_action(
                action="security.password_set",
                obj=user,
                summary={"usable": user.has_usable_password()},
            )
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = type("UserChangeForm", (UserForm, DjangoUserAdmin.form), {})
    change_password_form = PasswordSetForm
    list_display = ("username", "full_name", "is_active", "is_staff", "last_login")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Profile", {"fields": ("full_name", "email")}),
        ("Access", {"fields": ("is_active", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            roles = roles_validate(group.name for group in form.instance.groups.all())
            form.instance.is_staff = bool(roles & ADMIN_ROLES)
            form.instance.save(update_fields=["is_staff"])
            log_action(
                action="org.user.update",
                obj=form.instance,
                actor=request.user,
                summary={"roles": sorted(roles)},
            )
