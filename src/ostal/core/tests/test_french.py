"""French as people write it: elision of « de », readable school and subject names."""

from __future__ import annotations

import pytest

from ostal.core.french import de, school_name, subject_label


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ilyès", "d'Ilyès"),
        ("Oriane", "d'Oriane"),
        ("Émile", "d'Émile"),
        ("Hugo", "d'Hugo"),
        ("Yves", "d'Yves"),
        ("Paul", "de Paul"),
        ("Yann", "de Yann"),
        ("Hamid", "de Hamid"),
        ("4B", "de 4B"),
        ("Lycée Pierre de Fermat", "du lycée Pierre de Fermat"),
        ("Collège Jean Moulin", "du collège Jean Moulin"),
        ("École Jules Ferry", "de l'école Jules Ferry"),
    ],
)
def test_de_elides_before_a_vowel_or_mute_h(name: str, expected: str) -> None:
    """« de » is elided before a vowel or a mute h, kept before a consonant or a consonant
    y, and contracted before a school's common noun."""
    assert de(name) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("LYC PIERRE DE FERMAT", "Lycée Pierre de Fermat"),
        ("CLG JEAN JAURES", "Collège Jean Jaurès"),
        ("LP DE L'HERAULT", "Lycée professionnel de l'Hérault"),
        ("LPO LES CEVENNES", "Lycée polyvalent Les Cévennes"),
        ("LGT PAUL VALERY", "Lycée général et technologique Paul Valéry"),
        ("CLG LOUIS-XIV", "Collège Louis-XIV"),
        ("Lycée Joffre", "Lycée Joffre"),
        ("  CLG   DU  PARC ", "Collège du Parc"),
    ],
)
def test_school_names_are_shown_in_readable_case(raw: str, expected: str) -> None:
    """A capitalised AAF school name has its sigle expanded and French title case with
    accents; a name already written in mixed case is kept."""
    assert school_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("MATHEMATIQUES", "Mathématiques"),
        ("Francais", "Français"),
        ("MATHÉMATIQUES", "Mathématiques"),
        ("HISTOIRE ET GEOGRAPHIE", "Histoire et géographie"),
        ("EDUCATION PHYSIQUE ET SPORTIVE", "Éducation physique et sportive"),
        ("ANGLAIS LV1", "Anglais LV1"),
        (
            "FRANCAIS  HIST.-GEO. EDUCATION CIVIQUE",
            "Français, histoire-géographie, éducation civique",
        ),
        ("ENSEIGNEMENT DE SPECIALITE SES", "Enseignement de spécialité SES"),
        ("ARTS DU CIRQUE", "Arts du cirque"),
        ("Maths renforcées", "Maths renforcées"),
    ],
)
def test_subject_labels_have_their_accents(raw: str, expected: str) -> None:
    """A national subject label is shown as the BCN writes it with accents; another
    capitalised label in sentence case, acronyms kept."""
    assert subject_label(raw) == expected
