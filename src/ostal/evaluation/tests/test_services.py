"""Writes on marks: who may set and mark an evaluation, a grid saved whole or not at all,
publication, the school's periods; each bad input a French error with nothing stored."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ostal.evaluation import services
from ostal.evaluation.models import Evaluation, EvaluationEvent, Mark, Period
from ostal.evaluation.selectors import periods_of
from ostal.evaluation.tests.conftest import Marks


def test_only_a_teacher_of_the_subject_and_class_sets_an_evaluation(marks: Marks) -> None:
    """The maths teacher of 4B may; the French teacher of 4B may not set a maths one, nor
    the maths teacher of 4A one in 4B; nothing is stored."""
    w = marks.world
    for teacher in (marks.head_teacher, marks.teacher_4a, w.admin, w.pupil):
        with pytest.raises(PermissionDenied):
            services.evaluation_create(
                teacher=teacher,
                audience=w.class_4b,
                subject=marks.maths,
                day=marks.day(10, 5),
                title="Contrôle",
            )
    assert not Evaluation.objects.exists()
    evaluation = marks.evaluation(publish=False)
    assert evaluation.school == w.college and evaluation.school_year == marks.year
    assert not evaluation.is_published
    assert EvaluationEvent.objects.filter(kind="created", evaluation_ref=evaluation.pk).exists()


@pytest.mark.parametrize(
    ("field", "kwargs", "message"),
    [
        ("title", {"title": "  "}, "intitulé"),
        ("scale", {"scale": 0}, "barème"),
        ("scale", {"scale": 101}, "barème"),
        ("coefficient", {"coefficient": "0"}, "coefficient"),
        ("coefficient", {"coefficient": "21"}, "coefficient"),
        ("coefficient", {"coefficient": "1,234"}, "coefficient"),
        ("coefficient", {"coefficient": "abc"}, "coefficient"),
        ("date", {"day": date(1999, 1, 1)}, "année scolaire"),
    ],
)
def test_a_bad_evaluation_is_refused_with_a_french_message(
    marks: Marks, field: str, kwargs: dict, message: str
) -> None:
    """Empty title, scale outside 1–100, coefficient outside 0.01–20, a date outside the
    class's school year: refused, nothing stored."""
    args = {
        "teacher": marks.world.teacher,
        "audience": marks.world.class_4b,
        "subject": marks.maths,
        "day": marks.day(10, 5),
        "title": "Contrôle",
        **kwargs,
    }
    with pytest.raises(ValidationError) as exc:
        services.evaluation_create(**args)
    assert message in " ".join(exc.value.message_dict[field])
    assert not Evaluation.objects.exists()


def test_the_grid_is_saved_whole_or_not_at_all(marks: Marks) -> None:
    """One unreadable cell (« 25 » on /20) and nothing of the grid is stored; the error
    names the pupil. Fixed, the grid saves the values and codes; emptying a cell removes
    the mark."""
    w = marks.world
    evaluation = marks.evaluation(publish=False)
    with pytest.raises(ValidationError) as exc:
        services.marks_save(
            teacher=w.teacher,
            evaluation=evaluation,
            cells={w.pupil.pk: "15,5", w.other_pupil.pk: "25"},
        )
    assert exc.value.message_dict == {
        str(w.other_pupil.pk): ["Chloé Petit : La note doit être comprise entre 0 et 20."]
    }
    assert not Mark.objects.exists()
    changed = services.marks_save(
        teacher=w.teacher,
        evaluation=evaluation,
        cells={w.pupil.pk: "15,5", w.other_pupil.pk: "ABS"},
    )
    assert changed == 2
    assert {(m.pupil_id, m.value, m.special) for m in Mark.objects.all()} == {
        (w.pupil.pk, D("15.50"), ""),
        (w.other_pupil.pk, None, "abs"),
    }
    # Saving the same grid again changes nothing; emptying a cell removes its mark.
    assert (
        services.marks_save(
            teacher=w.teacher,
            evaluation=evaluation,
            cells={w.pupil.pk: "15.5", w.other_pupil.pk: "abs"},
        )
        == 0
    )
    services.marks_save(teacher=w.teacher, evaluation=evaluation, cells={w.other_pupil.pk: ""})
    assert list(Mark.objects.values_list("pupil_id", flat=True)) == [w.pupil.pk]
    assert EvaluationEvent.objects.filter(kind="marked").count() == 2


def test_only_pupils_of_the_class_are_marked(marks: Marks) -> None:
    """A pupil of another class (the sibling, in a lycée) cannot be given a mark."""
    w = marks.world
    evaluation = marks.evaluation(publish=False)
    with pytest.raises(ValidationError) as exc:
        services.marks_save(teacher=w.teacher, evaluation=evaluation, cells={w.sibling.pk: "12"})
    assert "n'est pas dans la classe" in str(exc.value)
    assert not Mark.objects.exists()


def test_another_teacher_cannot_mark_or_publish(marks: Marks) -> None:
    """The French teacher of 4B neither marks nor publishes the maths evaluation."""
    w = marks.world
    evaluation = marks.evaluation(publish=False)
    with pytest.raises(PermissionDenied):
        services.marks_save(
            teacher=marks.head_teacher, evaluation=evaluation, cells={w.pupil.pk: "1"}
        )
    with pytest.raises(PermissionDenied):
        services.evaluation_publish(teacher=marks.head_teacher, evaluation=evaluation)
    evaluation.refresh_from_db()
    assert not evaluation.is_published and not Mark.objects.exists()


def test_publication_and_its_withdrawal_are_logged(marks: Marks) -> None:
    """Publishing sets the date, withdrawing clears it; both are in the log."""
    w = marks.world
    evaluation = marks.evaluation(publish=False)
    services.evaluation_publish(teacher=w.teacher, evaluation=evaluation)
    assert evaluation.is_published
    services.evaluation_publish(teacher=w.teacher, evaluation=evaluation, publish=False)
    evaluation.refresh_from_db()
    assert not evaluation.is_published
    kinds = list(EvaluationEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["created", "published", "unpublished"]


def test_lowering_the_scale_under_a_mark_is_refused(marks: Marks) -> None:
    """A 15 is given: the scale cannot become /10."""
    w = marks.world
    evaluation = marks.evaluation(marks={w.pupil: "15"})
    with pytest.raises(ValidationError, match="dépasse 10"):
        services.evaluation_update(
            teacher=w.teacher,
            evaluation=evaluation,
            day=evaluation.date,
            title="Contrôle",
            scale=10,
            coefficient="1",
        )
    evaluation.refresh_from_db()
    assert evaluation.scale == 20


def test_default_periods_are_three_trimesters(marks: Marks) -> None:
    """A school that chose nothing has three trimestres, September to early July."""
    periods = periods_of(school=marks.world.college, school_year=marks.year)
    assert [(p.label, p.start, p.end) for p in periods] == [
        ("Trimestre 1", date(marks.year, 9, 1), date(marks.year, 11, 30)),
        ("Trimestre 2", date(marks.year, 12, 1), periods[1].end),
        ("Trimestre 3", date(marks.year + 1, 3, 1), date(marks.year + 1, 7, 4)),
    ]
    assert periods[1].end.month == 2


def test_the_direction_chooses_semesters(marks: Marks) -> None:
    """The school's management sets two semestres; a teacher may not; overlapping or
    out-of-year dates are refused with nothing changed."""
    w = marks.world
    y = marks.year
    ranges = [(date(y, 9, 1), date(y + 1, 1, 24)), (date(y + 1, 1, 25), date(y + 1, 7, 3))]
    with pytest.raises(PermissionDenied):
        services.periods_set(
            actor=w.teacher, school=w.college, school_year=y, kind="semester", ranges=ranges
        )
    with pytest.raises(ValidationError, match="avant la fin de la période précédente"):
        services.periods_set(
            actor=w.admin,
            school=w.college,
            school_year=y,
            kind="semester",
            ranges=[ranges[0], (date(y + 1, 1, 20), date(y + 1, 7, 3))],
        )
    with pytest.raises(ValidationError, match="hors de l'année scolaire"):
        services.periods_set(
            actor=w.admin,
            school=w.college,
            school_year=y,
            kind="semester",
            ranges=[(date(y - 1, 9, 1), date(y, 1, 24)), ranges[1]],
        )
    with pytest.raises(ValidationError, match="Il faut 3 périodes"):
        services.periods_set(
            actor=w.admin, school=w.college, school_year=y, kind="trimester", ranges=ranges
        )
    assert not Period.objects.exists()
    services.periods_set(
        actor=w.admin, school=w.college, school_year=y, kind="semester", ranges=ranges
    )
    periods = periods_of(school=w.college, school_year=y)
    assert [p.label for p in periods] == ["Semestre 1", "Semestre 2"]
    # A mark of 30 January now belongs to the second semester.
    marks.evaluation(day=date(y + 1, 1, 30), marks={w.pupil: "13"})
    from ostal.evaluation.selectors import pupil_report

    assert [s.average for s in pupil_report(pupil=w.pupil, period_index=2).subjects] == [D(13)]
    assert pupil_report(pupil=w.pupil, period_index=1).subjects == []


def test_the_class_council_locks_the_period(marks: Marks) -> None:
    """The head teacher locks 4B's first trimester: its maths evaluation can no longer be
    marked, published, withdrawn or re-dated, nor a new one set in it; the second
    trimester stays open. A teacher cannot lock, the head teacher cannot reopen, the
    direction can."""
    w = marks.world
    evaluation = marks.evaluation(marks={w.pupil: "12"}, publish=False)
    with pytest.raises(PermissionDenied):
        services.period_lock(actor=w.teacher, school_class=w.class_4b, period_index=1)
    services.period_lock(actor=marks.head_teacher, school_class=w.class_4b, period_index=1)
    with pytest.raises(ValidationError, match="Trimestre 1 est verrouillé"):
        services.marks_save(teacher=w.teacher, evaluation=evaluation, cells={w.pupil.pk: "18"})
    with pytest.raises(ValidationError, match="verrouillé"):
        services.evaluation_publish(teacher=w.teacher, evaluation=evaluation)
    with pytest.raises(ValidationError, match="verrouillé"):
        services.evaluation_update(
            teacher=w.teacher,
            evaluation=evaluation,
            day=marks.day(1, 10),
            title="Contrôle",
            scale=20,
            coefficient="1",
        )
    with pytest.raises(ValidationError, match="verrouillé"):
        marks.evaluation(day=marks.day(11, 2))
    assert Mark.objects.get().value == D(12)
    assert Evaluation.objects.count() == 1
    marks.evaluation(day=marks.day(1, 10), marks={w.pupil: "9"})  # trimester 2 is open
    with pytest.raises(PermissionDenied):
        services.period_unlock(actor=marks.head_teacher, school_class=w.class_4b, period_index=1)
    services.period_unlock(actor=w.admin, school_class=w.class_4b, period_index=1)
    services.marks_save(teacher=w.teacher, evaluation=evaluation, cells={w.pupil.pk: "18"})
    kinds = set(EvaluationEvent.objects.values_list("kind", flat=True))
    assert {"locked", "unlocked"} <= kinds


def test_a_lock_of_a_class_closes_its_pupils_group_evaluations(marks: Marks) -> None:
    """A group with a pupil of the locked 4B cannot be marked in that period either."""
    from ostal.directory import services as directory

    w = marks.world
    group = directory.group_create(school=w.college, school_year=marks.year, code="LATIN")
    directory.group_join(person=w.pupil, group=group)
    directory.teaching_assign(teacher=w.teacher, subject=marks.maths, group=group)
    evaluation = marks.evaluation(audience=group, marks={w.pupil: "14"})
    services.period_lock(actor=w.admin, school_class=w.class_4b, period_index=1)
    with pytest.raises(ValidationError, match=r"verrouillé après le conseil de classe \(4B\)"):
        services.marks_save(teacher=w.teacher, evaluation=evaluation, cells={w.pupil.pk: "2"})
