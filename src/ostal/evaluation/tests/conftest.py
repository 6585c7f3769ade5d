"""The marks world: the root personas, plus a head teacher of 4B who teaches French there,
a class 4A of the same collège with its maths teacher, and a helper that sets, marks and
publishes an evaluation in one line. Dates are built from the classes' school year, so the
tests hold on any day (docs/testing.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ostal.conftest import PASSWORD, World
from ostal.directory import factories
from ostal.directory import services as directory
from ostal.directory.models import Person, SchoolClass, Subject
from ostal.evaluation import services
from ostal.evaluation.models import Evaluation


@dataclass
class Marks:
    world: World
    year: int
    maths: Subject
    french: Subject
    class_4a: SchoolClass
    teacher_4a: Person
    head_teacher: Person

    def day(self, month: int, dom: int) -> date:
        """A day of the world's school year (September–December: first calendar year)."""
        return date(self.year if month >= 8 else self.year + 1, month, dom)

    def evaluation(
        self,
        *,
        teacher: Person | None = None,
        audience: Any = None,
        subject: Subject | None = None,
        day: date | None = None,
        title: str = "Contrôle",
        scale: int = 20,
        coefficient: str = "1",
        marks: dict[Person, str] | None = None,
        publish: bool = True,
    ) -> Evaluation:
        teacher = teacher or self.world.teacher
        evaluation = services.evaluation_create(
            teacher=teacher,
            audience=audience or self.world.class_4b,
            subject=subject or self.maths,
            day=day or self.day(10, 5),
            title=title,
            scale=scale,
            coefficient=Decimal(coefficient),
        )
        if marks:
            services.marks_save(
                teacher=teacher,
                evaluation=evaluation,
                cells={p.pk: raw for p, raw in marks.items()},
            )
        if publish:
            services.evaluation_publish(teacher=teacher, evaluation=evaluation)
        return evaluation


@pytest.fixture
def marks(world: World) -> Marks:
    maths = factories.subject("061300", "MATHÉMATIQUES")
    french = factories.subject("020700", "FRANCAIS")
    head = factories.teacher(
        school=world.college,
        username="pp",
        first_name="Karine",
        last_name="Lopez",
        password=PASSWORD,
    )
    directory.teaching_assign(teacher=head, subject=french, school_class=world.class_4b)
    directory.head_teacher_set(teacher=head, school_class=world.class_4b)
    class_4a = factories.school_class(school=world.college, code="4A")
    teacher_4a = factories.teacher(
        school=world.college, username="prof.4a", first_name="Léa", last_name="Martin"
    )
    directory.teaching_assign(teacher=teacher_4a, subject=maths, school_class=class_4a)
    return Marks(
        world=world,
        year=world.class_4b.school_year,
        maths=maths,
        french=french,
        class_4a=class_4a,
        teacher_4a=teacher_4a,
        head_teacher=head,
    )
