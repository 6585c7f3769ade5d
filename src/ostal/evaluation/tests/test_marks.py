"""The arithmetic of marks, by worked examples (no database)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from ostal.evaluation.marks import (
    MarkError,
    Scored,
    display,
    parse_mark,
    rounded,
    stats,
    to_twenty,
    weighted_average,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("15", (D("15.00"), "")),
        (" 15,5 ", (D("15.50"), "")),
        ("7.25", (D("7.25"), "")),
        ("0", (D("0.00"), "")),
        ("20", (D("20.00"), "")),
        ("abs", (None, "abs")),
        ("ABS", (None, "abs")),
        ("Disp", (None, "disp")),
        ("nr", (None, "nr")),
        ("nn", (None, "nn")),
        ("", None),
        ("   ", None),
    ],
)
def test_a_cell_is_a_number_up_to_the_scale_or_a_code(raw: str, expected: object) -> None:
    """A cell reads as a value (comma or point), one of the four codes, or nothing."""
    assert parse_mark(raw, scale=20) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("21", "entre 0 et 20"),
        ("-1", "entre 0 et 20"),
        ("12,345", "Deux décimales"),
        ("douze", "ni une note ni un code"),
        ("NaN", "pas une note"),
        ("1e5", "entre 0 et 20"),
        ("absent", "ni une note ni un code"),
    ],
)
def test_an_unreadable_cell_says_why_in_french(raw: str, message: str) -> None:
    """Out of the scale, too precise, a word that is not a code: a French message."""
    with pytest.raises(MarkError, match=message):
        parse_mark(raw, scale=20)


def test_marks_are_brought_to_twenty() -> None:
    """8/10 is 16/20, 30/40 is 15/20, 3/5 is 12/20."""
    assert to_twenty(D(8), 10) == 16
    assert to_twenty(D(30), 40) == 15
    assert to_twenty(D(3), 5) == 12


def test_worked_example_coefficients_scales_and_an_absence() -> None:
    """12/20 coef 1, 8/10 coef 2, absent coef 3, 15/20 coef 0.5:
    (12×1 + 16×2 + 15×0.5) / (1 + 2 + 0.5) = 51.5 / 3.5 = 14.71; the absence counts for
    nothing, not even its coefficient."""
    average = weighted_average(
        [
            Scored(D(12), "", 20, D(1)),
            Scored(D(8), "", 10, D(2)),
            Scored(None, "abs", 20, D(3)),
            Scored(D(15), "", 20, D("0.5")),
        ]
    )
    assert rounded(average) == D("14.71")
    assert display(average) == "14,71"


def test_worked_example_exempt_not_handed_in_not_marked_count_for_nothing() -> None:
    """disp, nr and nn are all left out: 10/20 coef 1 with those three (coef 4 each)
    averages 10."""
    average = weighted_average(
        [
            Scored(D(10), "", 20, D(1)),
            Scored(None, "disp", 20, D(4)),
            Scored(None, "nr", 20, D(4)),
            Scored(None, "nn", 20, D(4)),
        ]
    )
    assert average == 10


def test_no_countable_mark_means_no_average() -> None:
    """Only special values (or nothing): no average, shown « — »."""
    assert weighted_average([Scored(None, "abs", 20, D(1))]) is None
    assert weighted_average([]) is None
    assert display(None) == "—"


def test_statistics_skip_special_values() -> None:
    """The class average, lowest and highest of 8, 12, 13 and an absence: 11, 8, 13."""
    s = stats([D(8), D(12), None, D(13)])
    assert (s.average, s.lowest, s.highest, s.count) == (D(11), D(8), D(13), 3)
    assert stats([None]).count == 0


def test_rounding_is_half_up_and_only_when_shown() -> None:
    """13.665 shows 13,67 (half up), 15.50 shows 15,5, 12.00 shows 12."""
    assert display(D("13.665")) == "13,67"
    assert display(D("15.50")) == "15,5"
    assert display(D("12.00")) == "12"
