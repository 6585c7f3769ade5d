"""Small builders for synthetic AAF files used by the tests."""

from __future__ import annotations

from pathlib import Path

from ostal.directory.aaf.parser import CATEGORY_MARKERS

FIXTURES = Path(__file__).resolve().parents[6] / "shared" / "fixtures" / "aaf"

HEADER = (
    '<?xml version="1.0" encoding="{encoding}"?>\n'
    '<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">\n'
    "<ficAlimMENESR>\n"
)


def operational(category: str = "Eleve") -> str:
    name, value = CATEGORY_MARKERS[category]
    return (
        f'<operationalAttributes><attr name="{name}"><value>{value}</value></attr>'
        "</operationalAttributes>"
    )


def add_request(identifier: str, attrs: dict[str, list[str]], category: str = "Eleve") -> str:
    body = "".join(
        f'<attr name="{name}">'
        + "".join(f"<value>{value}</value>" if value else "<value/>" for value in values)
        + "</attr>"
        for name, values in attrs.items()
    )
    return (
        f"<addRequest>{operational(category)}<identifier><id>{identifier}</id></identifier>"
        f"<attributes>{body}</attributes></addRequest>\n"
    )


def document(*requests: str, encoding: str = "UTF-8") -> str:
    return HEADER.format(encoding=encoding) + "".join(requests) + "</ficAlimMENESR>\n"


def write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path
