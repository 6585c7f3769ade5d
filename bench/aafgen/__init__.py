"""Deterministic generator of national-format AAF deliveries (see :mod:`.generate`)."""

from .generate import (
    PRESETS,
    AcademySummary,
    GenerationSummary,
    Preset,
    generate,
    main,
)
from .writer import FileSummary

__all__ = [
    "PRESETS",
    "AcademySummary",
    "FileSummary",
    "GenerationSummary",
    "Preset",
    "generate",
    "main",
]
