"""Factories for the organisation. Tests that exercise rules call the services instead."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from xiaoneng.org.models import Absence, Department, Post, Staff, Unit, User

TEST_PASSWORD = "Test#pass2026"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = Unit.Kind.SCHOOL


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    unit = factory.SubFactory(UnitFactory)
    code = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"测试科室{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        self.save()
        if extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)
    unit = factory.SelfAttribute("department.unit")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"岗位{n}")


class AbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Absence

    staff = factory.SubFactory(StaffFactory)
    kind = Absence.Kind.LEAVE
