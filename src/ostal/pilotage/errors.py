"""Refusals that name the rule of the convention refusing them.

Every service of the pilotage refuses a forbidden action with a ``ConventionRuleError``
carrying the article (``rule``), a stable code for the API, and a French message shown on
the page and in the API error.
"""

from __future__ import annotations

from typing import Any


class ConventionRuleError(Exception):
    """An action the convention (or the pilotage's own rules) does not allow."""

    def __init__(self, *, rule: str, code: str, message: Any) -> None:
        super().__init__(f"{rule}: {message}")
        self.rule = rule
        self.code = code
        self.message = str(message)

    def __str__(self) -> str:
        return f"{self.message} ({self.rule})"

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "code": self.code, "message": self.message}
