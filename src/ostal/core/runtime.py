"""Interpreter settings for long batch jobs.

Rule: a batch that keeps millions of live objects (the directory import holds every id it
has seen, every relative named, every link to write) must not pay CPython's *full* garbage
collections: each one walks every live container, and the default thresholds run one
every few hundred thousand allocations — at region scale that was a tenth of the import's
time. Young collections still run, so short-lived cycles are still freed; what survives
is looked at again once the batch is over.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: the oldest generation's threshold while a batch runs: in effect, never
BATCH_THRESHOLD = 1_000_000


@contextmanager
def no_full_collections() -> Iterator[None]:
    """Run the block without full garbage collections, then restore the thresholds."""
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], max(before[2], BATCH_THRESHOLD))
    try:
        yield
    finally:
        gc.set_threshold(*before)
