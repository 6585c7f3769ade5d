"""The arithmetic of marks: reading what a teacher types, bringing marks to /20, averages.

Pure functions (no database), so that the worked examples of the tests read as rules.

* A cell of the grid holds a number from 0 to the scale (« 15 », « 15,5 », « 15.25 »:
  two decimals at most) or one of the codes ``abs`` (absent), ``disp`` (exempt), ``nr``
  (not handed in), ``nn`` (not marked), in any case; an empty cell is no mark.
* **Special values count for nothing**: none of the four codes enters an average, neither
  as a mark nor by its coefficient. A school that wants « non rendu » to count as zero
  types 0 (documented in docs/evaluation.md).
* A pupil's average in a subject over a period is the mean of their marks brought to /20
  (``value × 20 / scale``), weighted by the evaluations' coefficients. It is computed over
  the pupil's own marks whatever the class the evaluation was set in: a pupil who changes
  class mid-period keeps the marks of the old class in the period's average.
* Averages are rounded half up to two decimals, only when shown (never before averaging).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CODES = {"abs": "abs", "disp": "disp", "nr": "nr", "nn": "nn"}
TWENTY = Decimal(20)
CENT = Decimal("0.01")


class MarkError(ValueError):
    """A cell that cannot be read; the message is French and says why."""


def parse_mark(raw: str, *, scale: int) -> tuple[Decimal | None, str] | None:
    """``(value, special)`` for what was typed, ``None`` for an empty cell."""
    text = (raw or "").strip().lower()
    if not text:
        return None
    if text in CODES:
        return None, CODES[text]
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise MarkError(
            f"« {raw.strip()[:20]} » n'est ni une note ni un code (abs, disp, nr, nn)."
        ) from None
    if not value.is_finite():
        raise MarkError(f"« {raw.strip()[:20]} » n'est pas une note.")
    if value < 0 or value > scale:
        raise MarkError(f"La note doit être comprise entre 0 et {scale}.")
    if value != value.quantize(CENT):
        raise MarkError("Deux décimales au plus.")
    return value.quantize(CENT), ""


def to_twenty(value: Decimal, scale: int) -> Decimal:
    return value * TWENTY / Decimal(scale)


def rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Scored:
    """One mark as the averages need it."""

    value: Decimal | None
    special: str
    scale: int
    coefficient: Decimal


def weighted_average(marks: Iterable[Scored]) -> Decimal | None:
    """The mean on /20 weighted by coefficients; special values excluded; ``None`` if no
    mark counts. Not rounded."""
    total = Decimal(0)
    weight = Decimal(0)
    for m in marks:
        if m.value is None or m.special:
            continue
        total += to_twenty(m.value, m.scale) * m.coefficient
        weight += m.coefficient
    return total / weight if weight else None


@dataclass(frozen=True, slots=True)
class Stats:
    """Average, lowest and highest of a series (on the series' own scale), and how many."""

    average: Decimal | None
    lowest: Decimal | None
    highest: Decimal | None
    count: int


def stats(values: Iterable[Decimal | None]) -> Stats:
    """The statistics of marks (or averages); ``None`` entries (special values) skipped."""
    numbers = [v for v in values if v is not None]
    if not numbers:
        return Stats(None, None, None, 0)
    return Stats(sum(numbers, Decimal(0)) / len(numbers), min(numbers), max(numbers), len(numbers))


def display(value: Decimal | None) -> str:
    """« 15,5 », « 12 », « 13,67 »: French decimal comma, no useless zeros; « — » if none."""
    if value is None:
        return "—"
    text = f"{rounded(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
