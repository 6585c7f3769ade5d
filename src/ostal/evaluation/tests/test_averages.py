"""Averages of a period against worked examples: coefficients, special values, a pupil who
changes class mid-period, the class average, lowest and highest."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

from ostal.directory import factories
from ostal.directory import services as directory
from ostal.directory.models import Enrolment
from ostal.evaluation.marks import rounded
from ostal.evaluation.selectors import class_table, grid_of, pupil_report, service_table
from ostal.evaluation.tests.conftest import Marks


def _by_subject(report: Any) -> dict[str, Any]:
    return {s.subject_label: s for s in report.subjects}


def test_subject_average_weights_coefficients_and_leaves_out_special_values(marks: Marks) -> None:
    """Alice: 12/20 coef 1, 8/10 coef 2, absent coef 3, 15/20 coef 0.5 → 51.5 / 3.5 = 14.71;
    Chloé: 9/20 coef 1, 6/10 coef 2, 14/20 coef 3, exempt → (9 + 24 + 42) / 6 = 12.50; the
    class: mean 13.61, lowest 12.50, highest 14.71. Each mark carries its evaluation's class
    average, lowest and highest."""
    w = marks.world
    marks.evaluation(day=marks.day(9, 20), marks={w.pupil: "12", w.other_pupil: "9"})
    marks.evaluation(
        day=marks.day(10, 1), scale=10, coefficient="2", marks={w.pupil: "8", w.other_pupil: "6"}
    )
    marks.evaluation(
        day=marks.day(10, 8), coefficient="3", marks={w.pupil: "abs", w.other_pupil: "14"}
    )
    marks.evaluation(
        day=marks.day(11, 3), coefficient="0.5", marks={w.pupil: "15", w.other_pupil: "disp"}
    )
    report = pupil_report(pupil=w.pupil, period_index=1)
    maths = _by_subject(report)["Mathématiques"]
    assert rounded(maths.average) == D("14.71")
    assert rounded(maths.class_stats.average) == D("13.61")  # (14.714… + 12.5) / 2
    assert rounded(maths.class_stats.lowest) == D("12.50")
    assert rounded(maths.class_stats.highest) == D("14.71")
    assert maths.marks == 4
    latest = report.marks[0]
    assert latest.evaluation.date == marks.day(11, 3)
    assert latest.mark.value == D(15)
    assert latest.class_stats.average == D(15)  # Chloé is exempt: only Alice's mark counts
    absent = report.marks[1]
    assert absent.mark.special == "abs" and absent.label == "Absent"
    assert absent.class_stats.average == D(14) and absent.class_stats.count == 1


def test_a_pupil_who_changes_class_keeps_the_old_class_marks_in_the_period(marks: Marks) -> None:
    """Alice has 10 (coef 1) in 4B on 5 October, moves to 4A, has 16 (coef 2) there on
    10 November: her first-trimester maths average is (10 + 32) / 3 = 14. Her class is now
    4A, whose average is that of its pupils' averages: Alice 14 and Zoé 12 → 13. A
    second-trimester mark does not enter the first trimester."""
    w = marks.world
    marks.evaluation(day=marks.day(10, 5), marks={w.pupil: "10", w.other_pupil: "14"})
    Enrolment.objects.filter(pupil=w.pupil, school_class=w.class_4b).delete()
    directory.pupil_enrol(pupil=w.pupil, school_class=marks.class_4a)
    zoe = factories.pupil(school_class=marks.class_4a, first_name="Zoé", last_name="Roux")
    marks.evaluation(
        teacher=marks.teacher_4a,
        audience=marks.class_4a,
        day=marks.day(11, 10),
        coefficient="2",
        marks={w.pupil: "16", zoe: "12"},
    )
    marks.evaluation(
        teacher=marks.teacher_4a,
        audience=marks.class_4a,
        day=marks.day(1, 12),
        marks={w.pupil: "2", zoe: "20"},
    )
    report = pupil_report(pupil=w.pupil, period_index=1)
    assert report.school_class == marks.class_4a
    maths = _by_subject(report)["Mathématiques"]
    assert maths.average == D(14)
    assert maths.class_stats.average == D(13)
    assert (maths.class_stats.lowest, maths.class_stats.highest) == (D(12), D(14))
    assert [line.mark.value for line in report.marks] == [D(16), D(10)]
    # The 4B evaluation still lists Alice (marked, then left), with her mark.
    first = report.marks[1].evaluation
    rows = {r.pupil: r.typed for r in grid_of(evaluation=first)}
    assert rows[w.pupil] == "10" and rows[w.other_pupil] == "14"
    # Second trimester: only the January mark.
    second = _by_subject(pupil_report(pupil=w.pupil, period_index=2))["Mathématiques"]
    assert second.average == D(2)


def test_unpublished_evaluations_do_not_enter_a_pupil_s_averages(marks: Marks) -> None:
    """An unpublished 4/20 is neither listed nor averaged for the pupil."""
    w = marks.world
    marks.evaluation(marks={w.pupil: "16"})
    marks.evaluation(marks={w.pupil: "4"}, publish=False, title="Brouillon")
    report = pupil_report(pupil=w.pupil, period_index=1)
    assert [line.evaluation.title for line in report.marks] == ["Contrôle"]
    assert _by_subject(report)["Mathématiques"].average == D(16)


def test_a_pupil_report_costs_five_queries_whatever_the_marks(
    marks: Marks, django_assert_num_queries: Any
) -> None:
    """Class, periods, own marks, the evaluations' marks, the class's marks: five queries
    for two subjects and six evaluations."""
    w = marks.world
    for n in range(4):
        marks.evaluation(day=marks.day(10, 1 + n), marks={w.pupil: str(10 + n), w.other_pupil: "8"})
    for n in range(2):
        marks.evaluation(
            teacher=marks.head_teacher,
            subject=marks.french,
            day=marks.day(10, 10 + n),
            marks={w.pupil: "11"},
        )
    with django_assert_num_queries(5):
        report = pupil_report(pupil=w.pupil, period_index=1)
        assert len(report.marks) == 6 and len(report.subjects) == 2


def test_service_and_class_tables(marks: Marks) -> None:
    """The teacher's table shows every mark (published or not) with each pupil's average;
    the class table averages published evaluations only."""
    w = marks.world
    marks.evaluation(marks={w.pupil: "12", w.other_pupil: "abs"})
    marks.evaluation(marks={w.pupil: "18", w.other_pupil: "10"}, publish=False)
    service = w.teacher.assignments.get()
    table = service_table(service=service, period_index=1)
    averages = {p.username: a for p, _cells, a in table.rows}
    assert averages == {"eleve": D(15), "autre.eleve": D(10)}
    ctable = class_table(school_class=w.class_4b, period_index=1)
    assert [label for _id, label in ctable.subjects] == ["Mathématiques"]
    by_pupil = {p.username: row for p, row in ctable.rows}
    assert by_pupil["eleve"] == [D(12)] and by_pupil["autre.eleve"] == [None]
    assert ctable.subject_stats[0].average == D(12)
