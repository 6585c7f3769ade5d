"""Money: euros as ``Decimal`` to the cent, and allocations that add up exactly.

Rounding rule (documented in docs/pilotage.md): amounts typed by people are quantized to
the cent with ``ROUND_HALF_EVEN``; percentages shown are rounded the same way. An
allocation of a total among members uses the largest-remainder method: each raw share is
rounded *down* to the cent, then the cents left over go one by one to the members with the
largest discarded fractions (ties: in the order given, i.e. by authority kind and code), so
the shares always sum exactly to the total. Floats never appear.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import TypeVar

CENT = Decimal("0.01")
K = TypeVar("K", bound=Hashable)


def to_money(value: object) -> Decimal:
    """A typed amount as euros to the cent; ``ValueError`` if it is not a number ≥ 0."""
    text = str(value).strip().replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not amount.is_finite() or amount < 0:
        raise ValueError(text)
    return amount.quantize(CENT, rounding=ROUND_HALF_EVEN)


def percent(part: Decimal, total: Decimal) -> Decimal:
    if not total:
        return Decimal("0.00")
    return (part * 100 / total).quantize(CENT, rounding=ROUND_HALF_EVEN)


def allocate(total: Decimal, weights: Sequence[tuple[K, Decimal]]) -> dict[K, Decimal]:
    """Share ``total`` among keys in proportion to their weights, to the cent, exactly."""
    if not weights:
        return {}
    weight_sum = sum((w for _, w in weights), Decimal(0))
    if weight_sum <= 0:
        raise ValueError("weights must sum to a positive amount")
    cents = int((total / CENT).to_integral_value(rounding=ROUND_HALF_EVEN))
    raw = [(key, Decimal(cents) * w / weight_sum) for key, w in weights]
    floors = {key: int(r.to_integral_value(rounding=ROUND_DOWN)) for key, r in raw}
    left = cents - sum(floors.values())
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i][1] - floors[raw[i][0]]), i))
    for i in order[:left]:
        floors[raw[i][0]] += 1
    return {key: Decimal(floors[key]) * CENT for key, _ in weights}


def allocate_equally(total: Decimal, keys: Sequence[K]) -> dict[K, Decimal]:
    return allocate(total, [(k, Decimal(1)) for k in keys])


def cents(amount: Decimal | None) -> Decimal:
    """Back to two places (SQLite's SUM loses the scale of decimals)."""
    return (amount or Decimal(0)).quantize(CENT, rounding=ROUND_HALF_EVEN)


def euros(amount: Decimal) -> str:
    """French display of an amount: ``1 500,00 €`` (thin no-break space for thousands)."""
    text = f"{cents(amount):,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{text} €"
