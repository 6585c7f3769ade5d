"""Grammar, encodings, entities and refusals of the AAF parser, on small synthetic files."""

from __future__ import annotations

import io
import pickle
import time
from pathlib import Path

import pytest

from ostal.directory.aaf import _stream
from ostal.directory.aaf.parser import AafError, AafRecord, iter_records

from .builders import HEADER, add_request, document, operational, write

ELEVE = "ENT_Complet_20240101_Eleve_0000.xml"


def _parse(content: str | bytes, name: str = ELEVE) -> list[AafRecord]:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return list(iter_records(io.BytesIO(data), file_name=name))


def _error(content: str | bytes, name: str = ELEVE) -> AafError:
    with pytest.raises(AafError) as caught:
        _parse(content, name)
    return caught.value


def test_delta_file_gives_add_modify_and_delete_records() -> None:
    """addRequest, modifyRequest (replace) and deleteRequest become the three operations."""
    content = document(
        add_request("100", {"sn": ["DUPONT"], "givenName": ["Léa"]}),
        "<modifyRequest>" + operational() + "<identifier><id>200</id></identifier>"
        "<modifications>"
        '<modification name="sn" operation="replace"><value>MARTIN</value></modification>'
        '<modification name="mail" operation="replace"><value/></modification>'
        '<modification name="ENTEleveGroupes" operation="replace">'
        "<value>1$G1</value><value>1$G2</value></modification>"
        "</modifications></modifyRequest>\n",
        "<deleteRequest>" + operational() + "<identifier><id>300</id></identifier>"
        "</deleteRequest>\n",
    )
    records = _parse(content, "ENT_Delta_20240102_Eleve_0000.xml")
    assert [(r.operation, r.identifier) for r in records] == [
        ("add", "100"),
        ("modify", "200"),
        ("delete", "300"),
    ]
    assert records[0].attributes == {"sn": ("DUPONT",), "givenName": ("Léa",)}
    # In a modifyRequest an attribute with only an empty value means "clear it".
    assert records[1].attributes == {
        "sn": ("MARTIN",),
        "mail": (),
        "ENTEleveGroupes": ("1$G1", "1$G2"),
    }
    assert records[2].attributes == {}
    assert [r.line for r in records] == [4, 5, 6]


def test_empty_and_blank_values_contribute_nothing() -> None:
    """<value/>, <value></value> and whitespace-only values are dropped; others are trimmed."""
    content = document(
        add_request("1", {"a": ["", "x", "   "], "b": [""], "c": ["  y  "]}),
    )
    (record,) = _parse(content)
    assert record.attributes == {"a": ("x",), "b": (), "c": ("y",)}


def test_repeated_attribute_accumulates_its_values() -> None:
    """An attribute listed twice in one record keeps the values of both occurrences, in order."""
    (record,) = _parse(
        document(
            add_request("1", {"a": ["x"]}).replace(
                "</attributes>", '<attr name="a"><value>z</value></attr></attributes>'
            )
        )
    )
    assert record.attributes["a"] == ("x", "z")


def test_html4_entities_are_decoded_without_loading_the_dtd() -> None:
    """&eacute; &nbsp; &Oelig; (HTML4, undeclared in XML) decode like the national tooling does."""
    content = document(
        add_request("1", {"sn": ["&Eacute;LODIE&nbsp;D&apos;&OElig;UF &amp; C&#xE8;"]})
    )
    (record,) = _parse(content)
    assert record.attributes["sn"] == ("ÉLODIE\u00a0D'ŒUF & Cè",)


@pytest.mark.parametrize("offset", [_stream.HEAD_SIZE, _stream.HEAD_SIZE + _stream._CHUNK_SIZE])
@pytest.mark.parametrize("shift", [1, 3, 7])
def test_entity_cut_by_a_read_boundary_is_still_decoded(offset: int, shift: int) -> None:
    """An HTML4 entity straddling two read chunks decodes as if it were read at once."""
    prefix = (
        HEADER.format(encoding="UTF-8")
        + "<addRequest>"
        + operational()
        + '<identifier><id>1</id></identifier><attributes><attr name="pad"><value>'
    )
    middle = '</value></attr><attr name="sn"><value>'
    suffix = "</value></attr></attributes></addRequest>\n</ficAlimMENESR>\n"
    padding = offset - shift - len(prefix.encode()) - len(middle.encode())
    content = prefix + "p" * padding + middle + "&eacute;t&eacute;" + suffix
    assert content.encode().index(b"&eacute;") == offset - shift
    (record,) = _parse(content)
    assert record.attributes["sn"] == ("été",)


def test_unknown_named_entity_is_refused_with_its_line() -> None:
    """A named entity that is neither XML nor HTML4 is refused, not silently kept or dropped."""
    content = document(add_request("1", {"sn": ["a"]}), add_request("2", {"sn": ["&bogus;"]}))
    err = _error(content)
    assert err.line == 5
    assert "&bogus;" in err.message


def test_undeclared_file_falls_back_to_latin9_for_invalid_utf8() -> None:
    """Without declaration, UTF-8 is read as such and non-UTF-8 bytes are read as ISO-8859-15."""
    body = document(add_request("1", {"sn": ["@@"]}), add_request("2", {"sn": ["é"]}))
    body = body.split("\n", 1)[1]  # drop the XML declaration
    data = body.encode("utf-8").replace(b"@@", "ÉLŒ€".encode("iso8859-15"))
    records = _parse(data)
    assert records[0].attributes["sn"] == ("ÉLŒ€",)
    assert records[1].attributes["sn"] == ("é",)


def test_declared_utf8_with_invalid_bytes_is_refused() -> None:
    """A file declaring UTF-8 but containing Latin bytes is refused with a line number."""
    data = document(add_request("1", {"sn": ["a"]}), add_request("2", {"sn": ["@"]}))
    err = _error(data.encode("utf-8").replace(b"@", b"\xe9t\xe9"))
    assert "encodage" in err.message
    assert err.line == 5


def test_utf8_bom_is_accepted() -> None:
    """A UTF-8 byte order mark before the declaration is tolerated."""
    data = b"\xef\xbb\xbf" + document(add_request("1", {"sn": ["Zoé"]})).encode("utf-8")
    assert _parse(data)[0].attributes["sn"] == ("Zoé",)


def test_malformed_xml_reports_file_line_and_record() -> None:
    """Broken XML inside a record names the file, the line and the record being read."""
    content = document(
        add_request("1", {"sn": ["a"]}),
        add_request("2000000", {"sn": ["b"]}).replace("</attr></attributes>", "</attributes>"),
    )
    err = _error(content)
    assert (err.file, err.line, err.record) == (ELEVE, 5, "2000000")
    assert str(err).startswith(f"fichier {ELEVE}, ligne 5, enregistrement 2000000 : XML mal formé")


def test_records_before_a_fault_are_yielded_first() -> None:
    """Streaming: the records preceding a malformed one are delivered before the error."""
    content = document(add_request("1", {"sn": ["a"]}), "<addRequest><oops></addRequest>")
    iterator = iter_records(io.BytesIO(content.encode()), file_name=ELEVE)
    assert next(iterator).identifier == "1"
    with pytest.raises(AafError):
        next(iterator)


def test_wrong_root_is_refused() -> None:
    """The root element must be ficAlimMENESR."""
    content = document(add_request("1", {"sn": ["a"]})).replace("ficAlimMENESR>", "annuaire>")
    err = _error(content)
    assert "racine « annuaire »" in err.message
    assert (err.line, err.record) == (3, None)


def test_wrong_root_without_requests_is_refused() -> None:
    """Even an otherwise empty document must have the ficAlimMENESR root."""
    assert "racine « html »" in _error("<html></html>").message


def test_empty_document_is_refused() -> None:
    """A zero-byte file is not a valid (empty) export."""
    assert "XML mal formé" in _error(b"").message


def test_category_mismatch_is_refused() -> None:
    """A request whose operationalAttributes names another category than the file's is refused."""
    content = document(
        add_request("1", {"sn": ["a"]}),
        add_request("2397000", {"sn": ["b"]}, category="PersEducNat"),
    )
    err = _error(content)
    assert (err.line, err.record) == (5, "2397000")
    assert "categoriePersonne=PersEducNat" in err.message


def test_subject_file_uses_the_matEducNat_marker() -> None:
    """MatiereEducNat files carry categorieMatiere=MatEducNat, which is accepted."""
    content = document(add_request("009800", {"ENTLibelleMatiere": ["X"]}, "MatiereEducNat"))
    (record,) = _parse(content, "ENT_Complet_20240101_MatiereEducNat_0000.xml")
    assert record.category == "MatiereEducNat"


@pytest.mark.parametrize("id_element", ["<id/>", "<id>   </id>"])
def test_missing_identifier_is_refused(id_element: str) -> None:
    """An empty <id> is refused with the file and line; no record id can be given."""
    content = document(add_request("X", {"sn": ["a"]}).replace("<id>X</id>", id_element))
    err = _error(content)
    assert (err.file, err.line, err.record) == (ELEVE, 4, None)
    assert "identifiant" in err.message


def test_missing_identifier_element_is_refused() -> None:
    """A request without <identifier> is refused."""
    content = document(
        add_request("X", {"sn": ["a"]}).replace("<identifier><id>X</id></identifier>", "")
    )
    assert "identifier" in _error(content).message


def _request(body: str, identifier: str = "42") -> str:
    return (
        f"<addRequest>{operational()}<identifier><id>{identifier}</id></identifier>"
        f"{body}</addRequest>"
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            '<attributes><attribute name="sn"><value>a</value></attribute></attributes>',
            "« attribute » inattendu",
        ),
        ("<attributes><value>a</value></attributes>", "« value » inattendu"),
        ('<attributes><attr name="sn"><value>a<b/></value></attr></attributes>', "que du texte"),
        ('<attributes><attr name="sn"><bad/></attr></attributes>', "« bad » inattendu"),
        ("<attributes><attr><value>a</value></attr></attributes>", "sans attribut « name »"),
        ('<attributes><attr name="sn">a</attr></attributes>', "texte inattendu"),
        ("<attributes></attributes>", "ne contient aucun « attr »"),
        (
            '<modifications><modification name="sn" operation="replace"><value>a</value>'
            "</modification></modifications>",
            "contenu de « addRequest » invalide",
        ),
        ("", "contenu de « addRequest » invalide"),
    ],
)
def test_grammar_violations_inside_a_record_are_refused(body: str, expected: str) -> None:
    """Content outside the ficAlimMENESR.dtd grammar is refused, naming the record."""
    err = _error(document(_request(body)))
    assert expected in err.message
    assert (err.line, err.record) == (4, "42")


def test_unknown_element_under_the_root_is_refused() -> None:
    """Only addRequest, modifyRequest and deleteRequest may appear under the root."""
    content = document(
        add_request("1", {"sn": ["a"]}), "<comment>x</comment>\n", add_request("2", {"sn": ["b"]})
    )
    err = _error(content)
    assert "« comment » inattendu" in err.message
    assert (err.line, err.record) == (5, None)
    trailing = document(add_request("1", {"sn": ["a"]}), "<extra/>\n")
    assert "« extra » inattendu" in _error(trailing).message


def test_modification_other_than_replace_is_refused() -> None:
    """The DTD only defines operation="replace" for modifications."""
    content = document(
        "<modifyRequest>" + operational() + "<identifier><id>7</id></identifier><modifications>"
        '<modification name="sn" operation="add"><value>X</value></modification>'
        "</modifications></modifyRequest>"
    )
    err = _error(content, "ENT_Delta_20240101_Eleve_0000.xml")
    assert "« add » non prise en charge" in err.message
    assert err.record == "7"


def test_delete_request_with_attributes_is_refused() -> None:
    """A deleteRequest carries only operationalAttributes and identifier."""
    content = document(add_request("1", {"sn": ["a"]}).replace("addRequest>", "deleteRequest>"))
    assert "contenu de « deleteRequest » invalide" in _error(content).message


def test_billion_laughs_is_refused_quickly() -> None:
    """An internal DTD subset declaring entities is refused before any expansion."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, 10)
    ]
    content = (
        '<?xml version="1.0"?>\n<!DOCTYPE ficAlimMENESR [\n'
        + "\n".join(entities)
        + "\n]>\n<ficAlimMENESR>"
        + add_request("1", {"sn": ["&lol9;"]})
        + "</ficAlimMENESR>"
    )
    started = time.monotonic()
    err = _error(content)
    assert time.monotonic() - started < 1.0
    assert "sous-ensemble interne" in err.message
    assert err.line == 2


def test_external_entity_is_never_read(tmp_path: Path) -> None:
    """A SYSTEM entity pointing at /etc/passwd is refused, its content never reaches a record."""
    content = (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE ficAlimMENESR [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        "<ficAlimMENESR>" + add_request("1", {"sn": ["&xxe;"]}) + "</ficAlimMENESR>"
    )
    path = write(tmp_path, ELEVE, content)
    with pytest.raises(AafError) as caught:
        list(iter_records(path))
    assert "root:" not in str(caught.value)


def test_external_dtd_reference_is_not_followed() -> None:
    """A DOCTYPE whose system id is /etc/passwd or a URL is ignored, and parsing proceeds."""
    for system_id in ("file:///etc/passwd", "http://127.0.0.1:9/evil.dtd"):
        content = document(add_request("1", {"sn": ["a"]})).replace(
            '"ficAlimMENESR.dtd"', f'"{system_id}"'
        )
        (record,) = _parse(content)
        assert record.attributes == {"sn": ("a",)}


def test_file_name_decides_the_category_and_must_be_national() -> None:
    """Without an explicit category, a non-national file name is refused before reading."""
    with pytest.raises(AafError) as caught:
        iter_records(io.BytesIO(b""), file_name="export.xml")
    assert caught.value.file == "export.xml"
    records = list(
        iter_records(
            io.BytesIO(document(add_request("1", {"sn": ["a"]})).encode()),
            file_name="export.xml",
            category="Eleve",
        )
    )
    assert records[0].file == "export.xml"


def test_file_object_needs_a_file_name() -> None:
    """Reading a stream requires the file name used in errors and for the category."""
    with pytest.raises(TypeError):
        iter_records(io.BytesIO(b""))


def test_error_message_format_and_pickling() -> None:
    """AafError reads « fichier X, ligne N, enregistrement ID : message » and survives pickling."""
    err = AafError("catégorie incompatible", file="F.xml", line=12, record="2000000")
    assert str(err) == "fichier F.xml, ligne 12, enregistrement 2000000 : catégorie incompatible"
    assert str(AafError("vide", file="F.xml")) == "fichier F.xml : vide"
    copy = pickle.loads(pickle.dumps(err))  # noqa: S301 - our own object
    assert (copy.file, copy.line, copy.record, copy.message) == (
        "F.xml",
        12,
        "2000000",
        err.message,
    )
