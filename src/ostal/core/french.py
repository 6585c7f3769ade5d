"""French as people write it, for display only (the raw values stay stored).

* ``de(name)``: the preposition *de* before a name, elided before a vowel or a mute h
  (« Scolarité d'Ilyès », « compte d'Hugo », « classe de Paul ») and contracted before the
  common nouns a school's name starts with (« personnels du lycée Pierre de Fermat »).
* ``school_name(raw)``: the directory's capitalised school names in a readable case: the
  national sigles expanded (LYC, CLG, LP, LPO, LGT, EREA…), the other words capitalised
  except French small words (« LYC PIERRE DE FERMAT » → « Lycée Pierre de Fermat »), with the
  accents of a few common words (« ECOLE » → « École »). A name that already has lower-case
  letters was written by a person and is kept as it is.
* ``subject_label(raw)``: subject labels of the national nomenclature (BCN) with their
  accents (« MATHEMATIQUES » → « Mathématiques », « Francais » → « Français »); another
  label is put in sentence case with the same accent table, keeping acronyms such as LV1.

Deliberately no hyphenation of person names inside school names (« Pierre-de-Fermat »):
nothing in the directory says which words are a person's name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿæœ")
#: Names starting with an aspirated h: no elision (« de Hugues » is not one of them).
_ASPIRATED_H = frozenset({"hamid", "hamza", "hakim", "hassan", "hussein", "haroun", "hollande"})
#: A school name starting with one of these nouns takes the article: « du lycée … ».
_ARTICLE_NOUNS = {
    "lycée": "du lycée",
    "collège": "du collège",
    "école": "de l'école",
    "établissement": "de l'établissement",
    "section": "de la section",
    "cité": "de la cité",
}


def _starts_with_vowel_sound(word: str) -> bool:
    lowered = word.lower()
    if not lowered:
        return False
    first = lowered[0]
    if first == "y":
        # Y before a consonant is a vowel (Yves, Yvette); before a vowel a consonant (Yann).
        return len(lowered) > 1 and lowered[1] not in _VOWELS
    if first in _VOWELS:
        return True
    if first == "h" and len(lowered) > 1 and lowered[1] in _VOWELS:
        return re.split(r"[\s\-']", lowered, maxsplit=1)[0] not in _ASPIRATED_H
    return False


def de(name: object) -> str:
    """« de » followed by ``name``, elided or contracted as French requires."""
    text = str(name).strip()
    if not text:
        return "de"
    first_word = text.split(" ", 1)[0]
    article = _ARTICLE_NOUNS.get(first_word.lower())
    if article is not None:
        rest = text[len(first_word) :]
        return f"{article}{rest}"
    if _starts_with_vowel_sound(text):
        return f"d'{text}"
    return f"de {text}"


def _key(raw: str) -> str:
    """Upper case, no accents, single spaces: the form a label is looked up by."""
    decomposed = unicodedata.normalize("NFD", raw)
    plain = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(plain.upper().split())


#: Words whose accents the directory's capitals lost (key: unaccented upper case).
_ACCENTED_WORDS = {
    w.upper().translate(str.maketrans("ÉÈÊÀÂÎÏÔÛÙÇ", "EEEAAIIOUUC")): w
    for w in (
        "école",
        "lycée",
        "collège",
        "général",
        "générale",
        "régional",
        "régionale",
        "métiers",
        "spécialisé",
        "adapté",
        "théâtre",
        "éducation",
        "économie",
        "économiques",
        "économique",
        "géographie",
        "mathématiques",
        "français",
        "française",
        "étrangère",
        "étrangères",
        "prévention",
        "santé",
        "écologie",
        "écologique",
        "développement",
        "électronique",
        "électrotechnique",
        "énergie",
        "génie",
        "numérique",
        "littérature",
        "littéraire",
        "physique",
        "sciences",
        "appliqués",
        "activités",
        "humanités",
        "société",
        "sociétés",
        "systèmes",
        "gestion",
        "hôtellerie",
        "restauration",
        "méthodes",
        "pratiques",
        "accompagnement",
        "personnalisé",
        "territoire",
        "territoires",
        "langues",
        "théorie",
        "grec",
        "vidéo",
        "géopolitique",
        "sécurité",
        "réalisation",
        "bâtiment",
        "matériaux",
        "modélisation",
        "études",
        "étude",
        "agro-équipement",
        "élevage",
        "fénelon",
        "molière",
        "clémenceau",
        "valéry",
        "lumière",
        "bréguet",
        "déodat",
        "séverac",
        "évariste",
        "gérard",
        "hélène",
        "honoré",
        "andré",
        "rené",
        "frédéric",
        "stéphane",
        "jérôme",
        "cévennes",
        "pyrénées",
        "méditerranée",
        "hérault",
        "ariège",
        "lozère",
        "béziers",
        "sète",
        "pézenas",
        "lodève",
        "nîmes",
        "alès",
        "clément",
        "aimé",
        "césaire",
        "jaurès",
        "françois",
        "léon",
        "thérèse",
        "élisée",
        "émile",
        "spécialité",
        "spécialités",
        "européenne",
        "européen",
    )
}
#: French small words written in lower case inside a title (except as the first word).
_SMALL_WORDS = frozenset(
    {
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "et",
        "en",
        "sur",
        "sous",
        "aux",
        "au",
        "à",
        "a",
        "l",
        "d",
    }
)
#: Sigles of school kinds at the start of an AAF name (ENTStructureNomCourant).
_SCHOOL_SIGLES = {
    "LYC": "Lycée",
    "LYCEE": "Lycée",
    "CLG": "Collège",
    "COLLEGE": "Collège",
    "LP": "Lycée professionnel",
    "LPO": "Lycée polyvalent",
    "LGT": "Lycée général et technologique",
    "LG": "Lycée général",
    "LT": "Lycée technologique",
    "LPA": "Lycée professionnel agricole",
    "LEGTA": "Lycée agricole",
    "LEGTPA": "Lycée agricole",
    "EREA": "Établissement régional d'enseignement adapté",
    "SEP": "Section d'enseignement professionnel",
    "SEGPA": "Section d'enseignement général et professionnel adapté",
    "CFA": "CFA",
    "CFPPA": "CFPPA",
}
#: Tokens kept in capitals (acronyms, language levels, roman numerals).
_ACRONYMS = frozenset(
    {
        "LV1",
        "LV2",
        "LV3",
        "LVA",
        "LVB",
        "LVC",
        "LCA",
        "EPS",
        "SVT",
        "SES",
        "NSI",
        "SNT",
        "EMC",
        "HGGSP",
        "HLP",
        "LLCER",
        "STI2D",
        "STMG",
        "ST2S",
        "STL",
        "STAV",
        "BTS",
        "CAP",
        "BAC",
        "PRO",
        "DNL",
        "ENT",
        "TICE",
        "II",
        "III",
        "IV",
        "XIV",
        "XV",
        "XXIII",
        "UFA",
    }
)
_TOKEN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿŒœ0-9]+|[^A-Za-zÀ-ÖØ-öø-ÿŒœ0-9]+")


def _is_word(token: str) -> bool:
    return token[0].isalnum()


def _word(token: str, *, capitalise: bool) -> str:
    upper = token.upper()
    if upper in _ACRONYMS or (any(c.isdigit() for c in token) and len(token) <= 5):
        return upper
    word = _ACCENTED_WORDS.get(_key(token), token.lower())
    return word[:1].upper() + word[1:] if capitalise else word


def _has_lower(text: str) -> bool:
    return any(c.islower() for c in text)


@lru_cache(maxsize=4096)
def school_name(raw: str) -> str:
    """The readable form of a school's name (see the module docstring)."""
    text = " ".join(str(raw).split())
    if not text or _has_lower(text):
        return text
    first, _, rest = text.partition(" ")
    expansion = _SCHOOL_SIGLES.get(first.upper())
    if expansion is None:
        rest = text
    out: list[str] = []
    leading = expansion is None
    for token in _TOKEN.findall(rest):
        if not _is_word(token):
            out.append(token)
            continue
        lowered = token.lower()
        # An article opening the proper name keeps its capital: « Lycée Les Cévennes ».
        if not out and lowered in {"le", "la", "les"}:
            leading = True
        if lowered in _SMALL_WORDS and not leading:
            out.append(lowered)
        else:
            out.append(_word(token, capitalise=True))
        leading = False
    readable = "".join(out)
    return f"{expansion} {readable}".strip() if expansion else readable


#: National subject labels (BCN, N_MATIERE) with their accents, by unaccented key.
_SUBJECTS = {
    _key(label): label
    for label in (
        "Français",
        "Mathématiques",
        "Histoire et géographie",
        "Histoire-géographie",
        "Histoire-géographie, éducation civique",
        "Français, histoire-géographie, éducation civique",
        "Mathématiques, sciences physiques",
        "Anglais LV1",
        "Anglais LV2",
        "Espagnol LV1",
        "Espagnol LV2",
        "Allemand LV1",
        "Allemand LV2",
        "Italien LV2",
        "Occitan-langue d'oc",
        "Sciences de la vie et de la Terre",
        "Physique-chimie",
        "Sciences physiques",
        "Technologie",
        "Technologie professionnelle",
        "Éducation physique et sportive",
        "Arts plastiques",
        "Éducation musicale",
        "Latin",
        "Grec",
        "Philosophie",
        "Sciences économiques et sociales",
        "Management",
        "Économie",
        "Économie-droit",
        "Économie-gestion",
        "Arts appliqués et cultures artistiques",
        "Prévention-santé-environnement",
        "Enseignement technologique-professionnel",
        "Écologie, agronomie, territoire, développement durable",
        "Accompagnement personnalisé",
        "Enseignement moral et civique",
        "Éducation civique",
        "Sciences numériques et technologie",
        "Numérique et sciences informatiques",
        "Humanités, littérature et philosophie",
        "Histoire-géographie, géopolitique et sciences politiques",
        "Sciences de l'ingénieur",
        "Enseignement scientifique",
        "Documentation",
        "Vie scolaire",
    )
}
# The BCN abbreviates a few long labels: their key maps to the full label.
_SUBJECTS[_key("FRANCAIS  HIST.-GEO. EDUCATION CIVIQUE")] = (
    "Français, histoire-géographie, éducation civique"
)
_SUBJECTS[_key("ECOLOGIE, ECOLO.AGRO.TERRIT.DEV.DURABLE")] = (
    "Écologie, agronomie, territoire, développement durable"
)


@lru_cache(maxsize=4096)
def subject_label(raw: str) -> str:
    """The readable form of a subject's label (see the module docstring)."""
    text = " ".join(str(raw).split())
    if not text:
        return text
    known = _SUBJECTS.get(_key(text))
    if known is not None:
        return known
    if _has_lower(text):
        return text
    out: list[str] = []
    first = True
    for token in _TOKEN.findall(text):
        if not _is_word(token):
            out.append(token)
            continue
        out.append(_word(token, capitalise=first))
        first = False
    return "".join(out)
