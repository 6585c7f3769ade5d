"""Reference data of the synthetic region: académies, towns, subjects, MEFs, functions.

Sources: subject codes/labels (BCN ``N_MATIERE``), discipline and function codes, and the
collège/CAP/bac pro MEF codes are copied from the real AAF files under
``/work/shared/fixtures/aaf/`` (2013 and 2024 exports). The post-2019 lycée MEFs (1ère and
Terminale générales, STMG), the agricultural MEFs and the two agricultural disciplines are
*plausible, made-up* codes: check them against the BCN before relying on them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Academy:
    code: str  # "11"
    name: str  # ENTServAcAcademie
    mail_domain: str  # staff mail domain (a reserved .example name: see generate.py)
    share: float  # share of the region's schools
    departments: tuple[tuple[str, int], ...]  # (code, weight)
    relative_parity: int  # relatives' jointures are odd in one académie, even in the other


ACADEMIES: dict[str, Academy] = {
    "11": Academy(
        "11",
        "MONTPELLIER",
        "ac-montpellier.example",
        0.45,
        (("34", 40), ("30", 28), ("66", 17), ("11", 12), ("48", 3)),
        0,
    ),
    "16": Academy(
        "16",
        "TOULOUSE",
        "ac-toulouse.example",
        0.55,
        (("31", 46), ("81", 12), ("12", 9), ("82", 8), ("65", 8), ("32", 6), ("46", 6), ("09", 5)),
        1,
    ),
}

#: Towns per département, (name, postal code); the first one is the biggest.
TOWNS: dict[str, tuple[tuple[str, str], ...]] = {
    "09": (("FOIX", "09000"), ("PAMIERS", "09100"), ("SAINT-GIRONS", "09200"),
           ("LAVELANET", "09300"), ("MIREPOIX", "09500")),
    "11": (("CARCASSONNE", "11000"), ("NARBONNE", "11100"), ("CASTELNAUDARY", "11400"),
           ("LIMOUX", "11300"), ("LEZIGNAN-CORBIERES", "11200"), ("QUILLAN", "11500"),
           ("PORT-LA-NOUVELLE", "11210")),
    "12": (("RODEZ", "12000"), ("MILLAU", "12100"), ("VILLEFRANCHE-DE-ROUERGUE", "12200"),
           ("DECAZEVILLE", "12300"), ("SAINT-AFFRIQUE", "12400"), ("ESPALION", "12500")),
    "30": (("NIMES", "30000"), ("ALES", "30100"), ("BAGNOLS-SUR-CEZE", "30200"),
           ("BEAUCAIRE", "30300"), ("VILLENEUVE-LES-AVIGNON", "30400"), ("UZES", "30700"),
           ("LE VIGAN", "30120"), ("VAUVERT", "30600")),
    "31": (("TOULOUSE", "31000"), ("TOULOUSE", "31200"), ("TOULOUSE", "31300"),
           ("TOULOUSE", "31400"), ("TOULOUSE", "31500"), ("COLOMIERS", "31770"),
           ("MURET", "31600"), ("BLAGNAC", "31700"), ("SAINT-GAUDENS", "31800"),
           ("TOURNEFEUILLE", "31170"), ("BALMA", "31130"), ("L'UNION", "31240"),
           ("RAMONVILLE-SAINT-AGNE", "31520"), ("CUGNAUX", "31270"),
           ("VILLEFRANCHE-DE-LAURAGAIS", "31290")),
    "32": (("AUCH", "32000"), ("CONDOM", "32100"), ("L'ISLE-JOURDAIN", "32600"),
           ("FLEURANCE", "32500"), ("MIRANDE", "32300"), ("EAUZE", "32800")),
    "34": (("MONTPELLIER", "34000"), ("MONTPELLIER", "34080"), ("MONTPELLIER", "34090"),
           ("BEZIERS", "34500"), ("SETE", "34200"), ("LUNEL", "34400"), ("AGDE", "34300"),
           ("LODEVE", "34700"), ("CASTELNAU-LE-LEZ", "34170"), ("FRONTIGNAN", "34110"),
           ("PEZENAS", "34120"), ("CLERMONT-L'HERAULT", "34800")),
    "46": (("CAHORS", "46000"), ("FIGEAC", "46100"), ("GOURDON", "46300"),
           ("SOUILLAC", "46200"), ("GRAMAT", "46500")),
    "48": (("MENDE", "48000"), ("MARVEJOLS", "48100"), ("LANGOGNE", "48300"),
           ("FLORAC-TROIS-RIVIERES", "48400")),
    "65": (("TARBES", "65000"), ("LOURDES", "65100"), ("BAGNERES-DE-BIGORRE", "65200"),
           ("LANNEMEZAN", "65300"), ("VIC-EN-BIGORRE", "65500")),
    "66": (("PERPIGNAN", "66000"), ("PERPIGNAN", "66100"), ("CANET-EN-ROUSSILLON", "66140"),
           ("ARGELES-SUR-MER", "66700"), ("PRADES", "66500"), ("CERET", "66400"),
           ("RIVESALTES", "66600"), ("THUIR", "66300")),
    "81": (("ALBI", "81000"), ("CASTRES", "81100"), ("GAILLAC", "81600"), ("GRAULHET", "81300"),
           ("LAVAUR", "81500"), ("MAZAMET", "81200"), ("CARMAUX", "81400")),
    "82": (("MONTAUBAN", "82000"), ("CASTELSARRASIN", "82100"), ("MOISSAC", "82200"),
           ("CAUSSADE", "82300"), ("VALENCE", "82400"), ("BEAUMONT-DE-LOMAGNE", "82500")),
}  # fmt: skip

#: Landline prefixes reserved by ARCEP for fiction, per académie (04 Montpellier, 05 Toulouse).
LANDLINE = {"11": "+33 4 65 71", "16": "+33 5 36 49"}
MOBILE = "+33 6 39 98"  # ARCEP fiction range

#: BCN subject code -> label (N_MATIERE, copied from the 2013 MatiereEducNat export).
SUBJECTS: dict[str, str] = {
    "020700": "FRANCAIS",
    "061300": "MATHEMATIQUES",
    "040600": "HISTOIRE ET GEOGRAPHIE",
    "030201": "ANGLAIS LV1",
    "030602": "ESPAGNOL LV2",
    "030102": "ALLEMAND LV2",
    "030902": "ITALIEN LV2",
    "062900": "SCIENCES DE LA VIE ET DE LA TERRE",
    "062300": "PHYSIQUE-CHIMIE",
    "070800": "TECHNOLOGIE",
    "100100": "EDUCATION PHYSIQUE ET SPORTIVE",
    "090100": "ARTS PLASTIQUES",
    "081300": "EDUCATION MUSICALE",
    "020100": "LATIN",
    "010300": "PHILOSOPHIE",
    "050700": "SCIENCES ECONOMIQUES ET SOCIALES",
    "434500": "MANAGEMENT",
    "380800": "ECONOMIE",
    "043300": "FRANCAIS  HIST.-GEO. EDUCATION CIVIQUE",
    "061800": "MATHEMATIQUES, SCIENCES PHYSIQUES",
    "278300": "ARTS APPLIQUES ET CULTURES ARTISTIQUES",
    "312800": "PREVENTION-SANTE-ENVIRONNEMENT",
    "071100": "ENSEIGNEMENT TECHNOLOGIQUE-PROFESSIONNEL",
    "071600": "TECHNOLOGIE PROFESSIONNELLE",
    "308400": "ECOLOGIE, ECOLO.AGRO.TERRIT.DEV.DURABLE",
    "006600": "ACCOMPAGNEMENT PERSONNALISE",
}


@dataclass(frozen=True)
class Discipline:
    code: str  # function discipline code, e.g. L1300
    label: str  # e.g. MATHEMATIQUES
    category: str  # ENTAuxEnsCategoDiscipline, "13$MATHEMATIQUES"

    @property
    def post(self) -> str:
        """``ENTAuxEnsDisciplinesPoste``: ``libellé$code catégorie``."""
        return f"{self.label}${self.category.split('$', 1)[0]}"


DISCIPLINES: dict[str, Discipline] = {
    "LM": Discipline("L0202", "LETTRES MODERNES", "02$LETTRES"),
    "LC": Discipline("L0201", "LETTRES CLASSIQUES", "02$LETTRES"),
    "MA": Discipline("L1300", "MATHEMATIQUES", "13$MATHEMATIQUES"),
    "HG": Discipline("L1000", "HISTOIRE GEOGRAPHIE", "10$HISTOIRE - GEOGRAPHIE"),
    "AN": Discipline("L0422", "ANGLAIS", "04$LANGUES VIVANTES"),
    "ES": Discipline("L0426", "ESPAGNOL", "04$LANGUES VIVANTES"),
    "AL": Discipline("L0421", "ALLEMAND", "04$LANGUES VIVANTES"),
    "IT": Discipline("L0429", "ITALIEN", "04$LANGUES VIVANTES"),
    "SV": Discipline("L1600", "SCIENCES DE LA VIE ET DE LA TERRE", "16$BIOLOGIE - GEOLOGIE"),
    "PC": Discipline("L1500", "SCIENCES PHYSIQUES ET CHIMIQUES", "15$PHYSIQUE - CHIMIE"),
    "TE": Discipline("L1400", "TECHNOLOGIE", "14$TECHNOLOGIE"),
    "EP": Discipline("L1900", "EDUCATION PHYSIQUE ET SPORTIVE", "19$EDUCATION PHYSIQUE ET SPORTIVE"),
    "AP": Discipline("L1800", "ARTS PLASTIQUES", "18$ARTS PLASTIQUES"),
    "MU": Discipline("L1700", "EDUCATION MUSICALE", "17$EDUCATION MUSICALE"),
    "PH": Discipline("L0100", "PHILOSOPHIE", "01$PHILOSOPHIE"),
    "SE": Discipline("L1100", "SCIENCES ECONOMIQUES ET SOCIALES", "11$SCIENCES ECONOMIQUES ET SOCIALES"),
    "EG": Discipline("L8013", "ECO-GEST.OPTION MARKETING", "80$ECONOMIE ET GESTION"),
    "LH": Discipline("P0210", "LETTRES HISTOIRE GEOGRAPHIE", "02$LETTRES"),
    "MS": Discipline("P1315", "MATH.SCIENCES PHYSIQUES", "13$MATHEMATIQUES"),
    "LA": Discipline("P0222", "LETTRES ANGLAIS", "02$LETTRES"),
    "AA": Discipline("P6500", "ENSEIGNEMENTS ARTISTIQUES ET ARTS APPLIQ", "65$ARTS APPLIQUES"),
    "BS": Discipline("P7200", "BIOTECHNOLOGIES SANTE-ENVIRONNEMENT(E F", "72$BIOTECHNOLOGIE-SANTE ENVIRONNEMENT COLL."),
    "CV": Discipline("P8013", "ECO-GEST OPTION COMMERCE ET VENTE", "80$ECONOMIE ET GESTION"),
    "HO": Discipline("P8520", "HOTELLERIE OPT SERVICE ET COMMERCIALISAT", "85$HOTELLERIE - TOURISME"),
    "MV": Discipline("P4500", "GENIE MECANIQUE-MAINTENANCE VEHICULES", "45$GENIE MECANIQUE DE LA MAINTENANCE"),
    "EL": Discipline("P5200", "GENIE ELECTRIQUE OPTION ELECTROTECHNIQUE", "52$GENIE ELECTRIQUE ELECTROTECHNIQUE"),
    # Made up: the agricultural ministry's disciplines are not in the public samples.
    "AG": Discipline("P7610", "PRODUCTIONS AGRICOLES", "76$SCIENCES ET TECHNIQUES AGRICOLES"),
    "AM": Discipline("P7620", "AMENAGEMENT PAYSAGER", "76$SCIENCES ET TECHNIQUES AGRICOLES"),
}  # fmt: skip


@dataclass(frozen=True)
class Mef:
    code: str  # 11 digits
    label: str
    level: str  # ENTNivFormation
    track: str  # ENTFiliere
    stat11: str
    rattach: str = ""  # ENTMEFRattach (defaults to the code itself)


MEFS: dict[str, Mef] = {
    "6EME": Mef("10010012110", "6EME", "6EME", "COLLEGE", "21110010012"),
    "5EME": Mef("10110001110", "5EME", "5EME", "COLLEGE", "21120010001"),
    "4EME": Mef("10210001110", "4EME", "4EME", "COLLEGE", "21150010001"),
    "3EME": Mef("10310019110", "3EME", "3EME", "COLLEGE", "21160010019"),
    "2NDE": Mef("20010018110", "2NDE GENERALE ET TECHNOLOGIQUE", "2NDE GENERALE ET TECHNOLOGIQUE", "GENERALE ET TECHNOLOGIQUE", "22111410018"),
    "1G": Mef("20110019110", "1ERE GENERALE", "1ERE GENERALE", "BAC GENERAL", "22121010019"),
    "TG": Mef("20210019110", "TERMINALE GENERALE", "TERMINALE GENERALE", "BAC GENERAL", "22131010019"),
    "1STMG": Mef("21131016110", "1ERE STMG", "1ERE TECHNOLOGIQUE", "BAC TECHNOLOGIQUE", "22122531016"),
    "TSTMG": Mef("21231016110", "TERMINALE STMG", "TERMINALE TECHNOLOGIQUE", "BAC TECHNOLOGIQUE", "22132531016"),
    "2PRO_COM": Mef("24731202310", "2NDPRO COMMERCE", "BAC PRO 3 ANS : 1ERE ANNEE", "BAC PRO", "23810031202"),
    "1PRO_COM": Mef("24731202320", "1PRO COMMERCE", "BAC PRO 3 ANS : 2EME ANNEE", "BAC PRO", "23820031202"),
    "TPRO_COM": Mef("24731202330", "TPRO COMMERCE", "BAC PRO 3 ANS : 3EME ANNEE", "BAC PRO", "23830031202"),
    "2PRO_RES": Mef("24733402310", "2NDPRO RESTAURATION", "BAC PRO 3 ANS : 1ERE ANNEE", "BAC PRO", "23810033402"),
    "1PRO_RES": Mef("24733402320", "1PRO RESTAURATION", "BAC PRO 3 ANS : 2EME ANNEE", "BAC PRO", "23820033402"),
    "TPRO_RES": Mef("24733402330", "TPRO RESTAURATION", "BAC PRO 3 ANS : 3EME ANNEE", "BAC PRO", "23830033402"),
    "2PRO_MVA": Mef("24725207310", "2NDPRO MAINT.VEHIC.AUTO : VOIT.PARTICUL.", "BAC PRO 3 ANS : 1ERE ANNEE", "BAC PRO", "23810025207"),
    "1PRO_MVA": Mef("24725207320", "1PRO MAINT.VEHIC.AUTO : VOIT.PARTICUL.", "BAC PRO 3 ANS : 2EME ANNEE", "BAC PRO", "23820025207"),
    "TPRO_MVA": Mef("24725207330", "TPRO MAINT.VEHIC.AUTO : VOIT.PARTICUL.", "BAC PRO 3 ANS : 3EME ANNEE", "BAC PRO", "23830025207"),
    "2PRO_ELE": Mef("24725506310", "2NDPRO ELECTROTEC. ENERG. EQUIP.COMMUNIC", "BAC PRO 3 ANS : 1ERE ANNEE", "BAC PRO", "23810025506"),
    "1PRO_ELE": Mef("24725506320", "1PRO ELECTROTEC. ENERG. EQUIP.COMMUNIC", "BAC PRO 3 ANS : 2EME ANNEE", "BAC PRO", "23820025506"),
    "TPRO_ELE": Mef("24725506330", "TPRO ELECTROTEC. ENERG. EQUIP.COMMUNIC", "BAC PRO 3 ANS : 3EME ANNEE", "BAC PRO", "23830025506"),
    "1CAP_RES": Mef("24133409210", "1CAP2  RESTAURANT", "CAP EN 2 ANS : 1ERE ANNEE", "CAP EN 2 ANS : 1ERE ANNEE", "23210033409"),
    "2CAP_RES": Mef("24133409220", "2CAP2  RESTAURANT", "CAP EN 2 ANS : 2EME ANNEE", "CAP EN 2 ANS : 2EME ANNEE", "23220033409"),
    "1CAP_MVA": Mef("24125214210", "1CAP2  MAINT.VEHIC.AUTO OPT. VEHIC.PART.", "CAP EN 2 ANS : 1ERE ANNEE", "CAP EN 2 ANS : 1ERE ANNEE", "23210025214"),
    "2CAP_MVA": Mef("24125214220", "2CAP2  MAINT.VEHIC.AUTO OPT. VEHIC.PART.", "CAP EN 2 ANS : 2EME ANNEE", "CAP EN 2 ANS : 2EME ANNEE", "23220025214"),
    # Agricultural MEFs: the CAPA ones are real, STAV and CGEA are made up.
    "1STAV": Mef("21143001110", "1ERE STAV", "1ERE TECHNOLOGIQUE", "BAC TECHNOLOGIQUE", "22122543001"),
    "TSTAV": Mef("21243001110", "TERMINALE STAV", "TERMINALE TECHNOLOGIQUE", "BAC TECHNOLOGIQUE", "22132543001"),
    "2PRO_CGEA": Mef("27621001310", "2NDPRO CONDUITE GESTION ENTREPRISE AGRIC", "BAC PRO 3 ANS : 1ERE ANNEE", "BAC PRO AGRICOLE", "23810021001"),
    "1PRO_CGEA": Mef("27621001320", "1PRO CONDUITE GESTION ENTREPRISE AGRIC", "BAC PRO 3 ANS : 2EME ANNEE", "BAC PRO AGRICOLE", "23820021001"),
    "TPRO_CGEA": Mef("27621001330", "TPRO CONDUITE GESTION ENTREPRISE AGRIC", "BAC PRO 3 ANS : 3EME ANNEE", "BAC PRO AGRICOLE", "23830021001"),
    "1CAPA_TP": Mef("27121403210", "1CAP2A TRAVAUX PAYSAGERS", "CAP EN 2 ANS : 1ERE ANNEE", "CAP AGRICOLE", "23211021403"),
    "2CAPA_TP": Mef("27121403220", "2CAP2A TRAVAUX PAYSAGERS", "CAP EN 2 ANS : 2EME ANNEE", "CAP AGRICOLE", "23221021403"),
}  # fmt: skip


@dataclass(frozen=True)
class SchoolType:
    sigle: str  # first field of ENTStructureNomCourant
    label: str  # ENTStructureTypeStruct
    code: str  # ENTStructureCodeTypeStruct (BCN nature)
    ministry: str
    ministry_code: str


EN = "MINISTERE DE L'EDUCATION NATIONALE"
SCHOOL_TYPES: dict[str, SchoolType] = {
    "CLG": SchoolType("CLG", "COLLEGE", "340", EN, "06"),
    "LGT": SchoolType("LYC", "LYCEE GENERAL ET TECHNOLOGIQUE", "300", EN, "06"),
    "LP": SchoolType("LP", "LYCEE PROFESSIONNEL", "320", EN, "06"),
    "AGRI": SchoolType("LEGTA", "LYCEE AGRICOLE", "307", "MINISTERE DE L'AGRICULTURE", "03"),
}

#: Share of each kind of school in the region (collèges, lycées incl. LP, agricultural).
KIND_SHARES: tuple[tuple[str, float], ...] = (
    ("CLG", 0.60),
    ("LGT", 0.18),
    ("LP", 0.17),
    ("AGRI", 0.05),
)


@dataclass(frozen=True)
class Function:
    """One ``ENTPersonFonctions`` value minus its structure: code, label, discipline."""

    code: str
    label: str
    discipline_code: str
    discipline_label: str


FUNCTIONS: dict[str, Function] = {
    "CHEF": Function("DIR", "DIRECTION", "D0010", "DIRECTION CHEF D'ETABLISSEMENT"),
    "ADJ": Function("DIR", "DIRECTION", "D0011", "DIRECTION ADJOINT AU CHEF ETABLISSEMENT"),
    "EDU": Function("EDU", "EDUCATION", "E0030", "EDUCATION  (CE ,CPE)"),
    "DOC": Function("DOC", "DOCUMENTATION", "L0080", "DOCUMENTATION"),
    "ADF": Function("ADF", "PERSONNELS ADMINISTRATIFS", "P9101", "FONCTION ADMINISTRATIVE"),
    "AED": Function("AED", "ASSISTANT D'EDUCATION", "S0054", "ENCADRE. SUR. DES ELEVES (HORS INTERNAT)"),
    "AED0": Function("AED", "ASSISTANT D'EDUCATION", "-", "SANS OBJET"),
    "AEDI": Function("AED", "ASSISTANT D'EDUCATION", "S0055", "ENCADRE. SUR. DES ELEVES (INTERNAT)"),
    "AEH": Function("AEH", "ACCOMPAGNEMENT", "D0021", "ACCOMPAGNEMENT ELEVES SITUATION HANDICAP"),
    "ORI": Function("ORI", "ORIENTATION", "O0040", "ORIENTATION"),
    "CTR": Function("CTR", "CHEF DE TRAVAUX", "P2072", "CHEF DE TRAVAUX EQUIP.SERV.COLLECTIVITES"),
}  # fmt: skip

#: Non-teaching roles: function keys, discipline category/post, "category enseignant".
NON_TEACHING: dict[str, tuple[tuple[str, ...], str, str, str]] = {
    "CHEF": (("CHEF",), "00$NON SPECIALISE", "DIRECTION CHEF D'ETABLISSEMENT$00", "O"),
    "ADJ": (("ADJ",), "00$NON SPECIALISE", "DIRECTION ADJOINT AU CHEF ETABLISSEMENT$00", "O"),
    "EDU": (("EDU",), "00$NON SPECIALISE", "EDUCATION  (CE ,CPE)$00", "N"),
    "DOC": (("DOC",), "00$NON SPECIALISE", "DOCUMENTATION$00", "O"),
    "ADF": (("ADF",), "", "", "N"),
    "AED": (("AED0", "AED"), "", "", "N"),
    "AEH": (("AEH",), "", "", "N"),
    "ORI": (("ORI",), "00$NON SPECIALISE", "ORIENTATION$00", "N"),
    "CTR": (("CTR",), "00$NON SPECIALISE", "CHEF DE TRAVAUX EQUIP.SERV.COLLECTIVITES$00", "O"),
}  # fmt: skip

REGIMES = (
    ("EXTERNE LIBRE", 30),
    ("DEMI-PENSIONNAIRE DANS L'ETABLISSEMENT", 64),
    ("INTERNE DANS L'ETABLISSEMENT", 4),
    ("INTERNE 5 JOURS", 2),
)

#: ``codeLien`` of a level-2 "personne en charge" (BCN N_LIEN_ELEVE_RESPONSABLE).
IN_CHARGE_LINKS = (("39", 40), ("38", 35), ("90", 25))

RELATIVE_MAIL_DOMAINS = ("example.com", "example.org", "example.net")

AAF_VERSION = "AAF-VE2407"
SDET_VERSION = "Annexe 4bis version 6.4"
