"""Deterministic randomness for the AAF generator.

Two sources, both fully determined by the seed:

* :class:`random.Random` (Mersenne Twister) drives the *shape* of an académie (school
  sizes, classes, who is whose sibling). It is consumed sequentially, once per académie.
* :class:`Draw` gives each *entity* (a pupil, a family, a staff member…) its own stream,
  keyed by a string such as ``"1:11:p:4521"``. Re-creating the same key gives the same
  values, so an entity can be re-rendered on its own (the delta mode relies on it) and
  the order in which entities are written never changes their content.

``Draw`` hashes its key with BLAKE2b (64-byte digests) and consumes the digest as a big
integer with ``divmod``; that is several times cheaper than seeding a Mersenne Twister per
entity, which matters for the 1.2 million people of the region preset.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import blake2b
from typing import TypeVar

T = TypeVar("T")

_LOW_WATER = 1 << 64


class Draw:
    """A small reproducible stream of random choices for one entity."""

    __slots__ = ("_key", "_round", "_x")

    def __init__(self, key: str) -> None:
        self._key = key.encode()
        self._round = 0
        self._x = int.from_bytes(blake2b(self._key, digest_size=64).digest(), "big")

    def _refill(self) -> None:
        self._round += 1
        digest = blake2b(self._key + b"#%d" % self._round, digest_size=64).digest()
        self._x = (self._x << 512) | int.from_bytes(digest, "big")

    def below(self, n: int) -> int:
        """An integer in ``[0, n)``."""
        if self._x < _LOW_WATER:
            self._refill()
        self._x, result = divmod(self._x, n)
        return result

    def between(self, low: int, high: int) -> int:
        """An integer in ``[low, high]``."""
        return low + self.below(high - low + 1)

    def chance(self, probability: float) -> bool:
        """True with the given probability (resolution 1/65536)."""
        return self.below(65536) < probability * 65536

    def choice(self, items: Sequence[T]) -> T:
        return items[self.below(len(items))]

    def weighted(self, items: Sequence[T], cumulative: Sequence[int]) -> T:
        """Pick from ``items`` with integer weights given as a cumulative list."""
        point = self.below(cumulative[-1])
        for item, bound in zip(items, cumulative, strict=True):
            if point < bound:
                return item
        raise AssertionError("unreachable")  # pragma: no cover

    def sample(self, items: Sequence[T], k: int) -> list[T]:
        """``k`` distinct items, in the order drawn."""
        pool = list(items)
        picked = []
        for _ in range(min(k, len(pool))):
            picked.append(pool.pop(self.below(len(pool))))
        return picked


def cumulative(weights: Sequence[int]) -> list[int]:
    """Running sums of integer weights, for :meth:`Draw.weighted`."""
    total = 0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return out
