"""Organisation management for the administrators: units, departments, posts (A/B), staff,
absences, calendar overrides and time-limit policies. Each form calls one org/workdays/catalog
service; a refused change comes back as the service's message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from xiaoneng.catalog.models import PolicyVersion, TimeLimitPolicy
from xiaoneng.catalog.services import policy_version_create
from xiaoneng.errors import DomainError
from xiaoneng.org.models import Absence, Department, Staff, Unit
from xiaoneng.org.roles import ROLE_LABELS, Role, role_label
from xiaoneng.org.selectors import staff_for, user_roles
from xiaoneng.org.services import (
    absence_cancel,
    absence_record,
    department_create,
    department_set_head,
    post_save_holders,
    staff_create,
    staff_set_roles,
    unit_create,
)
from xiaoneng.web.fields import DepartmentChoiceField
from xiaoneng.web.forms import OfficeForm
from xiaoneng.web.permissions import role_required
from xiaoneng.workdays.models import COUNTING_CHOICES, CalendarOverride, Clock
from xiaoneng.workdays.services.calendar import calendar_override_delete, calendar_override_set

SYSADMIN = Role.SYSADMIN


def _attempt(request: HttpRequest, form: forms.Form, call: Callable[[], Any], done: str) -> bool:
    """Run the service when the form is valid; its refusal becomes the form's error."""
    if not form.is_valid():
        return False
    try:
        call()
    except DomainError as exc:
        form.add_error(None, str(exc))
        return False
    messages.success(request, done)
    return True


def _staff_choices(queryset: Any) -> list[tuple[Any, str]]:
    return [("", "—")] + [(s.pk, f"{s.user} · {s.department or s.unit}") for s in queryset]


# -- units and departments --------------------------------------------------------------------


class UnitForm(OfficeForm):
    code = forms.SlugField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(
        label=_("English name"),
        max_length=100,
        required=False,
        help_text=_("Shown on English pages; left blank, they show the Chinese name."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Unit.Kind.choices)


class DepartmentForm(OfficeForm):
    code = forms.SlugField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(
        label=_("English name"),
        max_length=100,
        required=False,
        help_text=_("Shown on English pages; left blank, they show the Chinese name."),
    )
    duties = forms.CharField(
        label=_("Duties"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


@role_required(SYSADMIN)
def org_units(request: HttpRequest) -> HttpResponse:
    form = UnitForm(request.POST or None)
    if request.method == "POST" and _attempt(
        request,
        form,
        lambda: unit_create(by=request.user, **form.cleaned_data),
        gettext("Unit created."),
    ):
        return HttpResponseRedirect(request.path)
    units = Unit.objects.prefetch_related(
        Prefetch(
            "departments",
            queryset=Department.objects.select_related("head__user").order_by("sort_order", "id"),
        )
    ).order_by("sort_order", "id")
    return render(request, "office/org/units.html", {"units": units, "form": form})


class HeadForm(OfficeForm):
    head = forms.TypedChoiceField(label=_("Head"), coerce=int, required=False, empty_value=None)


class PostForm(OfficeForm):
    name = forms.CharField(label=_("Post"), max_length=100)
    name_en = forms.CharField(
        label=_("English name"),
        max_length=100,
        required=False,
        help_text=_("Shown on English pages; left blank, they show the Chinese name."),
    )
    duties = forms.CharField(
        label=_("Duties"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    a_holder = forms.TypedChoiceField(
        label=_("A holder"), coerce=int, required=False, empty_value=None
    )
    b_holder = forms.TypedChoiceField(
        label=_("B holder"), coerce=int, required=False, empty_value=None
    )


@role_required(SYSADMIN)
def org_department(request: HttpRequest, pk: int) -> HttpResponse:
    department = get_object_or_404(Department.objects.select_related("unit", "head__user"), pk=pk)
    people = {
        s.pk: s
        for s in Staff.objects.filter(unit=department.unit).select_related("user", "department")
    }
    choices = _staff_choices(people.values())
    which = request.POST.get("form", "")
    head_form = HeadForm(
        request.POST if which == "head" else None, initial={"head": department.head_id}
    )
    head_form.fields["head"].choices = choices
    post_form = PostForm(request.POST if which == "post" else None)
    for name in ("a_holder", "b_holder"):
        post_form.fields[name].choices = choices
    new_form = DepartmentForm(request.POST if which == "department" else None)
    ok = False
    if which == "head":
        ok = _attempt(
            request,
            head_form,
            lambda: department_set_head(
                department=department,
                head=people.get(head_form.cleaned_data["head"]),
                by=request.user,
            ),
            gettext("Head saved."),
        )
    elif which == "post":
        data = post_form.cleaned_data if post_form.is_valid() else {}
        ok = _attempt(
            request,
            post_form,
            lambda: post_save_holders(
                department=department,
                name=data["name"],
                name_en=data["name_en"],
                duties=data["duties"],
                a_holder=people.get(data["a_holder"]),
                b_holder=people.get(data["b_holder"]),
                by=request.user,
            ),
            gettext("Post saved."),
        )
    elif which == "department":
        ok = _attempt(
            request,
            new_form,
            lambda: department_create(
                unit=department.unit, by=request.user, **new_form.cleaned_data
            ),
            gettext("Department created."),
        )
    if ok:
        return HttpResponseRedirect(request.path)
    context = {
        "department": department,
        "posts": department.posts.select_related("a_holder__user", "b_holder__user"),
        "members": [s for s in people.values() if s.department_id == department.pk],
        "head_form": head_form,
        "post_form": post_form,
        "new_form": new_form,
    }
    return render(request, "office/org/department.html", context)


# -- staff -------------------------------------------------------------------------------------


class StaffForm(OfficeForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=64)
    department = DepartmentChoiceField(label=_("Department"), queryset=Department.objects.all())
    title = forms.CharField(label=_("Job title"), max_length=64, required=False)
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=list(ROLE_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    password = forms.CharField(
        label=_("Initial password"), widget=forms.PasswordInput, required=False
    )


class RolesForm(OfficeForm):
    staff = forms.IntegerField(widget=forms.HiddenInput)
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=list(ROLE_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


@role_required(SYSADMIN, Role.SECADMIN)
def org_staff(request: HttpRequest) -> HttpResponse:
    """Everyone on the staff; the security administrator creates accounts and sets roles."""
    may_edit = Role.SECADMIN in user_roles(request.user)
    which = request.POST.get("form", "")
    create = StaffForm(request.POST if which == "create" else None)
    roles_form = RolesForm(request.POST if which == "roles" else None)
    if request.method == "POST":
        if not may_edit:
            raise Http404
        if which == "create":
            data = create.cleaned_data if create.is_valid() else {}
            if _attempt(
                request,
                create,
                lambda: staff_create(
                    username=data["username"],
                    full_name=data["full_name"],
                    unit=data["department"].unit,
                    department=data["department"],
                    title=data["title"],
                    roles=data["roles"],
                    password=data["password"] or None,
                    by=request.user,
                ),
                gettext("Staff member created."),
            ):
                return HttpResponseRedirect(request.path)
        elif which == "roles":
            data = roles_form.cleaned_data if roles_form.is_valid() else {}
            member = Staff.objects.select_related("user").filter(pk=data.get("staff")).first()
            if member is not None and _attempt(
                request,
                roles_form,
                lambda: staff_set_roles(staff=member, roles=data["roles"], by=request.user),
                gettext("Roles saved."),
            ):
                return HttpResponseRedirect(request.path)
            if member is None:
                messages.error(
                    request, roles_form.errors.as_text() or gettext("No such staff member.")
                )
    members = list(
        Staff.objects.select_related("user", "unit", "department").prefetch_related("user__groups")
    )
    for member in members:
        # The roles in the reader's language (the groups are named by their codes).
        member.role_names = [role_label(group.name) for group in member.user.groups.all()]  # type: ignore[attr-defined]
    context = {
        "members": members,
        "create": create,
        "may_edit": may_edit,
        "role_labels": ROLE_LABELS,
    }
    return render(request, "office/org/staff.html", context)


# -- absences ----------------------------------------------------------------------------------


class AbsenceForm(OfficeForm):
    staff = forms.TypedChoiceField(label=_("Staff member"), coerce=int)
    starts_at = forms.DateTimeField(
        label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Absence.Kind.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    head_covers = forms.BooleanField(label=_("The department head covers the post"), required=False)


def _absence_scope(request: HttpRequest) -> Any:
    """The system administrator sees everyone; a head, the people of their departments."""
    people = Staff.objects.select_related("user", "department")
    if SYSADMIN in user_roles(request.user):
        return people
    staff = staff_for(request.user)
    return people.filter(department__head=staff)


@role_required(SYSADMIN, Role.DEPT_HEAD)
def org_absences(request: HttpRequest) -> HttpResponse:
    people = {s.pk: s for s in _absence_scope(request)}
    form = AbsenceForm(request.POST or None)
    form.fields["staff"].choices = [
        (s.pk, f"{s.user} · {s.department or ''}") for s in people.values()
    ]
    if request.method == "POST":
        data = form.cleaned_data if form.is_valid() else {}
        if _attempt(
            request,
            form,
            lambda: absence_record(
                staff=people[data["staff"]],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                kind=data["kind"],
                note=data["note"],
                head_covers=data["head_covers"],
                by=request.user,
            ),
            gettext("Absence recorded."),
        ):
            return HttpResponseRedirect(request.path)
    absences = (
        Absence.objects.filter(staff_id__in=list(people), ends_at__gt=timezone.now())
        .select_related("staff__user", "staff__department")
        .order_by("starts_at")
    )
    return render(request, "office/org/absences.html", {"absences": absences, "form": form})


@require_POST
@role_required(SYSADMIN, Role.DEPT_HEAD)
def org_absence_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    absence = get_object_or_404(Absence, pk=pk, staff__in=_absence_scope(request))
    absence_cancel(absence=absence, by=request.user)
    messages.success(request, gettext("Absence cancelled."))
    return HttpResponseRedirect(reverse("office:org_absences"))


# -- calendar ----------------------------------------------------------------------------------


class OverrideForm(OfficeForm):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarOverride.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)


@role_required(SYSADMIN)
def org_calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() else today.year
    form = OverrideForm(request.POST or None)
    if request.method == "POST":
        data = form.cleaned_data if form.is_valid() else {}
        if _attempt(
            request,
            form,
            lambda: calendar_override_set(
                day=data["day"], kind=data["kind"], name=data["name"], by=request.user
            ),
            gettext("Calendar day saved; open deadlines were recalculated."),
        ):
            return HttpResponseRedirect(f"{request.path}?year={data['day'].year}")
    overrides = CalendarOverride.objects.filter(unit__isnull=True, day__year=year).order_by("day")
    context = {
        "overrides": overrides,
        "form": form,
        "year": year,
        "years": [year - 1, year, year + 1],
    }
    return render(request, "office/org/calendar.html", context)


@require_POST
@role_required(SYSADMIN)
def org_calendar_delete(request: HttpRequest, pk: int) -> HttpResponse:
    override = get_object_or_404(CalendarOverride, pk=pk)
    year = override.day.year
    calendar_override_delete(override=override, by=request.user)
    messages.success(request, gettext("Calendar day removed; open deadlines were recalculated."))
    return HttpResponseRedirect(f"{reverse('office:org_calendar')}?year={year}")


# -- time-limit policies -----------------------------------------------------------------------


@role_required(SYSADMIN)
def org_policies(request: HttpRequest) -> HttpResponse:
    policies = TimeLimitPolicy.objects.prefetch_related(
        Prefetch(
            "versions",
            queryset=PolicyVersion.objects.order_by("-number").prefetch_related("stage_limits"),
        )
    )
    return render(request, "office/org/policies.html", {"policies": policies})


class PolicyForm(OfficeForm):
    prewarn_workdays = forms.IntegerField(
        label=_("Pre-warning (working days before)"), min_value=0, max_value=30
    )
    yellow_grace_workdays = forms.IntegerField(
        label=_("Reminder limit after a yellow card (working days)"), min_value=1, max_value=60
    )
    extension_allowed = forms.BooleanField(label=_("Extension allowed"), required=False)
    extension_max = forms.IntegerField(label=_("Maximum extension"), min_value=1, required=False)
    source = forms.CharField(label=_("Source"), widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, stages: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Clock.Stage.choices)
        for limit in stages:
            self.fields[f"stage_{limit.stage}"] = forms.IntegerField(
                label=_("%(stage)s: limit") % {"stage": labels.get(limit.stage, limit.stage)},
                min_value=0,
                initial=limit.amount,
            )
            self.fields[f"counting_{limit.stage}"] = forms.ChoiceField(
                label=_("%(stage)s: counted in") % {"stage": labels.get(limit.stage, limit.stage)},
                choices=COUNTING_CHOICES,
                initial=limit.counting,
            )


@role_required(SYSADMIN)
def org_policy(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a policy: saving creates the next version; running clocks keep theirs."""
    policy = get_object_or_404(TimeLimitPolicy, pk=pk)
    current = policy.versions.order_by("-number").prefetch_related("stage_limits").first()
    stages = list(current.stage_limits.all()) if current else []
    initial = (
        {
            name: getattr(current, name)
            for name in (
                "prewarn_workdays",
                "yellow_grace_workdays",
                "extension_allowed",
                "extension_max",
                "source",
                "note",
            )
        }
        if current
        else {}
    )
    form = PolicyForm(request.POST or None, stages=stages, initial=initial)
    if request.method == "POST":
        data = form.cleaned_data if form.is_valid() else {}
        changes = {
            name: data.get(name)
            for name in (
                "prewarn_workdays",
                "yellow_grace_workdays",
                "extension_allowed",
                "extension_max",
                "source",
                "note",
            )
        }
        stage_changes = {
            limit.stage: {
                "amount": data.get(f"stage_{limit.stage}"),
                "counting": data.get(f"counting_{limit.stage}"),
            }
            for limit in stages
        }
        if _attempt(
            request,
            form,
            lambda: policy_version_create(
                policy=policy, changes=changes, stages=stage_changes, by=request.user
            ),
            gettext("Saved as a new version; running clocks keep the version they started with."),
        ):
            return HttpResponseRedirect(request.path)
    versions = policy.versions.order_by("-number").select_related("created_by")
    return render(
        request,
        "office/org/policy.html",
        {"policy": policy, "current": current, "form": form, "versions": versions},
    )
