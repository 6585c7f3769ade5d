"""Small AAF deliveries written in a test's ``tmp_path``, and where the real exports are.

The request builders are the parser author's (:mod:`ostal.directory.aaf.tests.builders`);
this module adds the ``modifyRequest``/``deleteRequest`` forms and whole deliveries
(national file names, one file per category) so that each test states its world in a few
lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ostal.directory.aaf.tests.builders import add_request, document, operational, write

# src/ostal/feed/tests/deliveries.py → parents[4] is the repository; CI keeps a copy of
# ``shared/`` beside the clone, as on the development machine.
REPO = Path(__file__).resolve().parents[4]
AAF_FIXTURES = REPO.parent / "shared" / "fixtures" / "aaf"
FIXTURES_ABSENT = f"real AAF exports not found in {AAF_FIXTURES}"

SCHOOL = "9001"  # the jointure of the school of the synthetic deliveries
SCHOOL_UAI = "0341234A"  # Hérault: inside the test territory (Occitanie)


def structure(
    jointure: str = SCHOOL,
    uai: str = SCHOOL_UAI,
    name: str = "JEAN MOULIN",
    *,
    classes: Iterable[str] = (),
) -> str:
    """A collège; ``classes`` are ``ENTStructureClasses`` values (``code$libellé$mef…``)."""
    return add_request(
        jointure,
        {
            "ENTStructureJointure": [jointure],
            "ENTStructureUAI": [uai],
            "ENTStructureNomCourant": [f"CLG${name}$MONTPELLIER"],
            "ENTStructureTypeStruct": ["COLLEGE"],
            "ENTEtablissementContrat": ["PU"],
            "postalCode": ["34000"],
            "l": ["MONTPELLIER"],
            "ENTStructureClasses": list(classes) or [""],
        },
        category="EtabEducNat",
    )


def mef(code: str, label: str, level: str = "") -> str:
    """A MEF of the national nomenclature (``ENTNivFormation`` left out when blank, as in
    the 2013 export)."""
    attrs = {"ENTMefJointure": [code], "ENTLibelleMef": [label], "ENTMEFRattach": [code]}
    if level:
        attrs["ENTNivFormation"] = [level]
    return add_request(code, attrs, category="MefEducNat")


def pupil(
    jointure: str,
    first: str,
    last: str,
    *,
    school: str = SCHOOL,
    school_class: str = "4A",
    groups: Iterable[str] = (),
    relatives: Iterable[str] = (),
    in_charge: Iterable[str] = (),
    ine: str = "",
    mef: tuple[str, str, str] | None = None,
) -> str:
    """A pupil of ``school`` in ``school_class``; ``relatives`` are legal representatives
    (mothers, legal level 1), ``in_charge`` persons in charge (legal level 2); ``mef`` is
    (``ENTEleveMEF``, ``ENTEleveLibelleMEF``, ``ENTEleveNivFormation``)."""
    links = [f"{r}$10$1$1$1$0" for r in relatives] + [f"{r}$90$0$2$0$0" for r in in_charge]
    return add_request(
        jointure,
        {
            "ENTPersonJointure": [jointure],
            "sn": [last],
            "givenName": [first],
            "ENTPersonDateNaissance": ["14/09/2011"],
            "ENTEleveINE": [ine],
            "ENTPersonStructRattach": [school],
            "ENTEleveClasses": [f"{school}${school_class}"],
            "ENTEleveGroupes": [f"{school}${g}" for g in groups] or [""],
            "ENTElevePersRelEleve": links or [""],
            **(
                {
                    "ENTEleveMEF": [mef[0]],
                    "ENTEleveLibelleMEF": [mef[1]],
                    "ENTEleveNivFormation": [mef[2]],
                }
                if mef
                else {}
            ),
        },
        category="Eleve",
    )


def relative(jointure: str, first: str, last: str, *, email: str = "") -> str:
    return add_request(
        jointure,
        {"ENTPersonJointure": [jointure], "sn": [last], "givenName": [first], "mail": [email]},
        category="PersRelEleve",
    )


def staff(
    jointure: str,
    first: str,
    last: str,
    *,
    school: str = SCHOOL,
    functions: Iterable[str] = ("ENS$ENSEIGNEMENT$L1300$MATHEMATIQUES",),
    classes: Iterable[str] = (),
) -> str:
    """A member of staff of ``school``; ``functions`` are ``code$label$discipline$label``."""
    return add_request(
        jointure,
        {
            "ENTPersonJointure": [jointure],
            "sn": [last],
            "givenName": [first],
            "ENTPersonStructRattach": [school],
            "ENTPersonFonctions": [f"{school}${f}" for f in functions],
            "ENTAuxEnsClasses": [f"{school}${c}" for c in classes] or [""],
            "PersEducNatPresenceDevantEleves": ["O"],
        },
        category="PersEducNat",
    )


def modify_request(identifier: str, replace: dict[str, list[str]], category: str) -> str:
    """A ``modifyRequest`` replacing the given attributes (the only operation defined)."""
    body = "".join(
        f'<modification name="{name}" operation="replace">'
        + ("".join(f"<value>{v}</value>" for v in values) or "<value/>")
        + "</modification>"
        for name, values in replace.items()
    )
    return (
        f"<modifyRequest>{operational(category)}<identifier><id>{identifier}</id></identifier>"
        f"<modifications>{body}</modifications></modifyRequest>\n"
    )


def delete_request(identifier: str, category: str) -> str:
    return (
        f"<deleteRequest>{operational(category)}<identifier><id>{identifier}</id></identifier>"
        "</deleteRequest>\n"
    )


def delivery(
    folder: Path,
    *,
    date: str,
    kind: str = "Complet",
    structures: Iterable[str] = (),
    mefs: Iterable[str] = (),
    pupils: Iterable[str] = (),
    relatives: Iterable[str] = (),
    staff: Iterable[str] = (),
) -> Path:
    """Write one delivery (a folder of national file names) and return its path.

    ``kind`` is ``Complet`` or ``Delta``; ``date`` is ``YYYYMMDD``; a category with no
    request gets no file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for category, requests in (
        ("EtabEducNat", list(structures)),
        ("MefEducNat", list(mefs)),
        ("Eleve", list(pupils)),
        ("PersRelEleve", list(relatives)),
        ("PersEducNat", list(staff)),
    ):
        if requests:
            write(folder, f"X_{kind}_{date}_{category}_0000.xml", document(*requests))
    return folder
