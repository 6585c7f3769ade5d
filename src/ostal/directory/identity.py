"""What Ostal says about a person to the services it signs people into.

One function, shared by the CAS server (attributes of ``serviceValidate``), the OIDC
provider (``userinfo`` claims and ID tokens) and the GAR export later, so every partner sees
the same facts under the SDET names (``sdet-reference.md`` §4.1), plus the set vie-scolaire
software matches accounts on (last name, first name, birth date, postal code, national
category).

Values are lists of strings (CAS attributes are multi-valued). A service receives only the
attributes its registry entry releases; this module computes the full set.
"""

from __future__ import annotations

from ostal.directory.models import (
    Affiliation,
    Enrolment,
    HeadTeacher,
    Mef,
    Person,
    Profile,
    RelativeLink,
    TeachingAssignment,
)

# The national category vie-scolaire software (Pronote and others) matches accounts on.
NATIONAL_CATEGORY = {
    Profile.PUPIL: "Eleve",
    Profile.RELATIVE: "Parent",
    Profile.TEACHER: "Enseignant",
    Profile.LIBRARIAN: "Enseignant",
    Profile.DIRECTION: "Personnel",
    Profile.SCHOOL_LIFE: "Personnel",
    Profile.ADMIN_STAFF: "Personnel",
    Profile.ACADEMIC: "Personnel",
    Profile.AUTHORITY_STAFF: "Personnel",
    Profile.GUEST: "Invite",
}

# Every attribute name this module can produce, for the service registry's choice list.
ATTRIBUTE_NAMES = (
    "uid",
    "ENTPersonIdentifiant",
    "ENTPersonLogin",
    "ENTPersonJointure",
    "ENTPersonSource",
    "ENTPersonProfils",
    "ENTPersonNom",
    "ENTPersonPrenom",
    "ENTPersonNomAffichage",
    "ENTPersonDateNaissance",
    "ENTPersonCodePostal",
    "ENTPersonMail",
    "ENTPersonStructRattach",
    "ENTPersonStructRattachRNE",
    "ENTStructureUAI",
    "ENTEleveClasses",
    "ENTEleveNivFormation",
    "ENTAuxEnsClasses",
    "ENTEleveINE",
    "categories",
    "nom",
    "prenom",
    "dateNaissance",
    "codePostal",
)


def person_identifier(person: Person) -> str:
    """Ostal's stable, opaque identifier of an account (``ENTPersonIdentifiant``, OIDC
    ``sub``): never reused, unchanged across school years and login changes."""
    return f"OST{person.pk:08d}"


def person_attributes(person: Person) -> dict[str, list[str]]:
    """Every attribute Ostal can release about ``person`` (current school year only).

    A handful of queries (at most six) whatever the person's profile.
    """
    affiliations = list(
        Affiliation.objects.filter(person=person)
        .select_related("school")
        .order_by("-is_main", "school__uai")
    )
    uais = list(dict.fromkeys(a.school.uai for a in affiliations))
    main = next((a.school.uai for a in affiliations if a.is_main), uais[0] if uais else "")
    classes: list[str] = []
    levels: list[str] = []
    if person.profile == Profile.PUPIL:
        # The pupil's own MEF first (``ENTEleveMEF``); a class's MEF only fills in for a
        # pupil the feed gave none (a class of several levels has none).
        if person.mef_id is not None:
            own = Mef.objects.filter(pk=person.mef_id).values_list("level", flat=True).first()
            if own:
                levels.append(own)
        class_levels: list[str] = []
        for enrolment in Enrolment.objects.filter(
            pupil=person, school_class__archived=False
        ).select_related("school_class__school", "school_class__mef"):
            school_class = enrolment.school_class
            classes.append(f"{school_class.school.uai}${school_class.code}")
            if school_class.mef and school_class.mef.level:
                class_levels.append(school_class.mef.level)
        levels = levels or class_levels
        if not uais:
            uais = list(dict.fromkeys(c.split("$", 1)[0] for c in classes))
            main = uais[0] if uais else ""
    taught: list[str] = []
    if person.profile != Profile.PUPIL:
        taught = sorted(
            {
                f"{uai}${code}"
                for uai, code in TeachingAssignment.objects.filter(
                    teacher=person, school_class__archived=False
                ).values_list("school_class__school__uai", "school_class__code")
            }
            | {
                f"{h.school_class.school.uai}${h.school_class.code}"
                for h in HeadTeacher.objects.filter(
                    teacher=person, school_class__archived=False
                ).select_related("school_class__school")
            }
        )
    if person.profile == Profile.RELATIVE and not uais:
        uais = sorted(
            set(
                Enrolment.objects.filter(
                    pupil__in=RelativeLink.objects.filter(relative=person).values("pupil_id"),
                    school_class__archived=False,
                ).values_list("school_class__school__uai", flat=True)
            )
        )
        main = uais[0] if uais else ""
    birth = person.birth_date.strftime("%d/%m/%Y") if person.birth_date else ""
    email = person.email if person.email and person.email_confirmed_at else ""
    attributes: dict[str, list[str]] = {
        "uid": [person.username],
        "ENTPersonIdentifiant": [person_identifier(person)],
        "ENTPersonLogin": [person.username],
        "ENTPersonJointure": [person.external_id] if person.external_id else [],
        "ENTPersonSource": [person.source.code] if person.source_id else [],  # type: ignore[union-attr]
        "ENTPersonProfils": [person.national_profile],
        "ENTPersonNom": [person.last_name],
        "ENTPersonPrenom": [person.first_name] if person.first_name else [],
        "ENTPersonNomAffichage": [person.display_name],
        "ENTPersonDateNaissance": [birth] if birth else [],
        "ENTPersonCodePostal": [person.postal_code] if person.postal_code else [],
        "ENTPersonMail": [email] if email else [],
        "ENTPersonStructRattach": [main] if main else [],
        "ENTPersonStructRattachRNE": [main] if main else [],
        "ENTStructureUAI": uais,
        "ENTEleveClasses": classes,
        "ENTEleveNivFormation": list(dict.fromkeys(levels)),
        "ENTAuxEnsClasses": taught,
        "ENTEleveINE": [person.ine] if person.ine else [],
        "categories": [NATIONAL_CATEGORY.get(Profile(person.profile), "Invite")],
        # The short names vie-scolaire connectors match on.
        "nom": [person.last_name],
        "prenom": [person.first_name] if person.first_name else [],
        "dateNaissance": [birth] if birth else [],
        "codePostal": [person.postal_code] if person.postal_code else [],
    }
    assert set(attributes) == set(ATTRIBUTE_NAMES)
    return attributes
