"""The single error type of the AAF reader, carrying where in the delivery things broke.

Every refusal (bad file name, malformed XML, grammar violation, unsafe archive) is reported
as an :class:`AafError` so that the synchroniser can log one French message per problem and
the operator can open the file at the right line.
"""

from __future__ import annotations


class AafError(Exception):
    """A delivery, file or record the AAF reader refuses, with its location."""

    def __init__(
        self,
        message: str,
        *,
        file: str,
        line: int | None = None,
        record: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.record = record
        super().__init__(str(self))

    def __str__(self) -> str:
        location = f"fichier {self.file}"
        if self.line is not None:
            location += f", ligne {self.line}"
        if self.record is not None:
            location += f", enregistrement {self.record}"
        return f"{location} : {self.message}"

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments are lost by the default Exception pickling, and errors
        # cross process boundaries when imports run in background workers.
        return (_rebuild, (self.message, self.file, self.line, self.record))


def _rebuild(message: str, file: str, line: int | None, record: str | None) -> AafError:
    return AafError(message, file=file, line=line, record=record)
