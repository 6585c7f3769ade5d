"""The directory: people of the schools, their accounts, classes, groups and relations.

Rules held here:
* a person is identified by (source, jointure): AAF ids are unique only within one
  académie's directory, so the source (académie of Montpellier, of Toulouse, agricultural
  directory, local) is part of the key;
* a ``Person`` is also the login account (``AUTH_USER_MODEL``, see ADR 0002); only an
  *active* account can log in; detached accounts keep their data but cannot log in;
* classes (divisions) and groups belong to one school and one school year; a new school
  year starts new ones, last year's are archived, never reused;
* a parent is linked to each child with a legal level (1 représentant légal, 2 personne en
  charge), the BCN relation code, and the financial and contact flags of the AAF.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostal.core.french import subject_label
from ostal.territory.models import Authority, School


def school_year_of(day: date | None = None) -> int:
    """The school year containing ``day``, named by its first calendar year (2026 = 2026-27).

    The year turns on 1 August: the AAF feed of the new year arrives late August.
    """
    day = day or timezone.localdate()
    return day.year if day.month >= 8 else day.year - 1


class Profile(models.TextChoices):
    """National ENT profiles (SDET ``ENTPersonProfils``), plus guests."""

    PUPIL = "ELV", _("Élève")
    RELATIVE = "TUT", _("Parent")
    TEACHER = "ENS", _("Enseignant")
    DIRECTION = "DIR", _("Personnel de direction")
    SCHOOL_LIFE = "EVS", _("Vie scolaire")
    ADMIN_STAFF = "ETA", _("Personnel administratif et technique")
    ACADEMIC = "ACA", _("Personnel académique")
    LIBRARIAN = "DOC", _("Professeur documentaliste")
    AUTHORITY_STAFF = "COL", _("Personnel de collectivité")
    GUEST = "INV", _("Invité")

    @classmethod
    def national_code(cls, value: str) -> str:
        return f"National_{value}" if value != cls.GUEST else "Invite"


STAFF_PROFILES = frozenset(
    {
        Profile.TEACHER,
        Profile.DIRECTION,
        Profile.SCHOOL_LIFE,
        Profile.ADMIN_STAFF,
        Profile.ACADEMIC,
        Profile.LIBRARIAN,
    }
)


class Source(models.Model):
    """Where identities come from: an académie's AAF, the agricultural directory, or local."""

    class Kind(models.TextChoices):
        AAF = "aaf", _("Annuaire académique (AAF)")
        AGRICULTURE = "agri", _("Annuaire de l'enseignement agricole")
        LOCAL = "local", _("Comptes locaux (invités, collectivités)")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    label = models.CharField(_("libellé"), max_length=120)
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    academy = models.ForeignKey(
        Authority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "academy"},
        verbose_name=_("académie"),
    )

    class Meta:
        verbose_name = _("source d'annuaire")
        verbose_name_plural = _("sources d'annuaire")

    def __str__(self) -> str:
        return self.label


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **extra: Any) -> Person:
        extra.setdefault("state", Person.State.ACTIVE if password else Person.State.TO_ACTIVATE)
        person = self.model(username=username, **extra)
        if password:
            person.set_password(password)
        else:
            person.set_unusable_password()
        person.save(using=self._db)
        return person

    def create_superuser(self, username: str, password: str | None = None, **extra: Any) -> Person:
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("profile", Profile.GUEST)
        extra.setdefault("last_name", username)
        return self.create_user(username, password, **extra)


class Person(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]  # DOT names the reverse manager "%(app_label)s_%(class)s", which the plugin cannot resolve
    """A person of the directory, and their ENT account."""

    class State(models.TextChoices):
        TO_ACTIVATE = "to_activate", _("À activer")
        ACTIVE = "active", _("Actif")
        SUSPENDED = "suspended", _("Suspendu")
        DETACHED = "detached", _("Détaché")
        DELETED = "deleted", _("Supprimé")

    class Civility(models.TextChoices):
        MR = "M.", _("M.")
        MRS = "Mme", _("Mme")

    username = models.CharField(_("identifiant"), max_length=150, unique=True)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("source")
    )
    external_id = models.CharField(
        _("jointure"), max_length=64, blank=True, help_text=_("ENTPersonJointure dans sa source")
    )
    ine = models.CharField(_("INE"), max_length=11, blank=True)
    profile = models.CharField(_("profil principal"), max_length=3, choices=Profile.choices)
    civility = models.CharField(_("civilité"), max_length=4, choices=Civility.choices, blank=True)
    last_name = models.CharField(_("nom"), max_length=120)
    first_name = models.CharField(_("prénom"), max_length=120, blank=True)
    birth_name = models.CharField(_("nom de naissance"), max_length=120, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    academic_email = models.EmailField(_("courriel académique"), blank=True)
    mobile = models.CharField(_("téléphone mobile"), max_length=32, blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("commune"), max_length=120, blank=True)
    state = models.CharField(
        _("état du compte"), max_length=12, choices=State.choices, default=State.TO_ACTIVATE
    )
    state_changed_at = models.DateTimeField(_("état modifié le"), default=timezone.now)
    # The directory feed's fingerprint of the record this person was last imported from:
    # an unchanged record is skipped without touching the database.
    source_hash = models.CharField(
        _("empreinte de l'enregistrement source"), max_length=32, blank=True
    )
    # ``first.last`` without its collision suffix, indexed to allocate logins in bulk.
    login_stem = models.CharField(_("racine de l'identifiant"), max_length=150, blank=True)
    # Printed on the activation letter; cleared when the account is activated.
    activation_code = models.CharField(_("code d'activation"), max_length=16, blank=True)
    # A pupil's MEF (``ENTEleveMEF``): their own level, which a class of several levels
    # cannot tell (released as ``ENTEleveNivFormation``).
    mef = models.ForeignKey(
        "Mef",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("MEF"),
    )
    # Account life (identity issue): the charter accepted at activation, and whether the
    # personal e-mail was confirmed (only a confirmed e-mail can receive a reset link).
    charter_accepted_at = models.DateTimeField(_("charte acceptée le"), null=True, blank=True)
    # The version of the charter accepted then (``OSTAL_CHARTER_VERSION``): a newer one in
    # force asks again. A database default too: the directory feed inserts people in bulk.
    charter_version = models.PositiveSmallIntegerField(
        _("version de la charte acceptée"), default=0, db_default=0
    )
    email_confirmed_at = models.DateTimeField(_("courriel confirmé le"), null=True, blank=True)
    is_staff = models.BooleanField(
        _("accès à l'administration technique"),
        default=False,
        help_text=_("Réservé à l'exploitant (console d'administration Django)."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = PersonManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="person_source_jointure_unique",
            )
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            # Looked up by equality only (INE matching, login allocation): declared here
            # rather than with ``db_index``, which on PostgreSQL adds a second, pattern
            # (LIKE) index that nothing uses and every import would keep up to date.
            models.Index(fields=["ine"], name="person_ine_idx"),
            models.Index(fields=["login_stem"], name="person_login_stem_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        """Only an active account may log in (Django's backends and axes read this)."""
        return self.state == self.State.ACTIVE

    @property
    def display_name(self) -> str:
        if self.state == self.State.DELETED:  # erased (RGPD): no name left to show
            return str(_("Compte supprimé"))
        return f"{self.first_name} {self.last_name}".strip()

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.first_name or self.last_name

    @property
    def national_profile(self) -> str:
        return Profile.national_code(self.profile)

    @property
    def is_pupil(self) -> bool:
        return self.profile == Profile.PUPIL

    @property
    def is_relative(self) -> bool:
        return self.profile == Profile.RELATIVE


class Affiliation(models.Model):
    """A person's attachment to a school, with the profile they hold there."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="affiliations")
    profile = models.CharField(_("profil"), max_length=3, choices=Profile.choices)
    is_main = models.BooleanField(_("établissement de rattachement"), default=False)

    class Meta:
        verbose_name = _("rattachement")
        verbose_name_plural = _("rattachements")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "school", "profile"], name="affiliation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.school} ({self.profile})"


class StaffFunction(models.Model):
    """A function held in a school (AAF ``ENTPersonFonctions``: DIR, ENS, EDU, DOC…)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="functions")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("code fonction"), max_length=16)
    label = models.CharField(_("fonction"), max_length=120, blank=True)
    discipline_code = models.CharField(_("code discipline"), max_length=16, blank=True)
    discipline_label = models.CharField(_("discipline"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("fonction")
        verbose_name_plural = _("fonctions")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "school", "code", "discipline_code"], name="function_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.discipline_label}".strip()


class Subject(models.Model):
    """A subject (matière) of the national nomenclature (BCN code, 6 digits)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    label = models.CharField(_("libellé"), max_length=160)

    class Meta:
        verbose_name = _("matière")
        verbose_name_plural = _("matières")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        """The label with its accents (« MATHEMATIQUES » → « Mathématiques »)."""
        return subject_label(self.label)


class Mef(models.Model):
    """A MEF (module élémentaire de formation), e.g. 4e générale; 11-digit national code."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    label = models.CharField(_("libellé"), max_length=160)
    level = models.CharField(_("niveau de formation"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("MEF")
        verbose_name_plural = _("MEF")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label


class SchoolClass(models.Model):
    """A class (division) of one school in one school year."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes")
    school_year = models.PositiveSmallIntegerField(_("année scolaire"))
    code = models.CharField(_("code"), max_length=64)
    label = models.CharField(_("libellé"), max_length=120, blank=True)
    mef = models.ForeignKey(Mef, null=True, blank=True, on_delete=models.SET_NULL)
    archived = models.BooleanField(_("archivée"), default=False)

    class Meta:
        verbose_name = _("classe")
        verbose_name_plural = _("classes")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "code"], name="class_unique_per_year"
            )
        ]

    def __str__(self) -> str:
        return self.label or self.code


class TeachingGroup(models.Model):
    """A teaching group (groupe: options, languages, half-classes) of one school year."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="groups")
    school_year = models.PositiveSmallIntegerField(_("année scolaire"))
    code = models.CharField(_("code"), max_length=64)
    label = models.CharField(_("libellé"), max_length=120, blank=True)
    archived = models.BooleanField(_("archivé"), default=False)

    class Meta:
        verbose_name = _("groupe")
        verbose_name_plural = _("groupes")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "code"], name="group_unique_per_year"
            )
        ]

    def __str__(self) -> str:
        return self.label or self.code


class Enrolment(models.Model):
    """A pupil in a class."""

    pupil = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrolments")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="enrolments"
    )

    class Meta:
        verbose_name = _("inscription en classe")
        verbose_name_plural = _("inscriptions en classe")
        constraints = [
            models.UniqueConstraint(fields=["pupil", "school_class"], name="enrolment_unique")
        ]


class GroupMembership(models.Model):
    """A pupil in a teaching group."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="group_memberships")
    group = models.ForeignKey(TeachingGroup, on_delete=models.CASCADE, related_name="members")

    class Meta:
        verbose_name = _("appartenance à un groupe")
        verbose_name_plural = _("appartenances à un groupe")
        constraints = [
            models.UniqueConstraint(fields=["person", "group"], name="group_membership_unique")
        ]


class TeachingAssignment(models.Model):
    """A teacher teaches a subject to a class or to a group."""

    teacher = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assignments")
    school_class = models.ForeignKey(
        SchoolClass, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    group = models.ForeignKey(
        TeachingGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    subject = models.ForeignKey(Subject, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("service d'enseignement")
        verbose_name_plural = _("services d'enseignement")
        constraints = [
            models.CheckConstraint(
                condition=(Q(school_class__isnull=False) & Q(group__isnull=True))
                | (Q(school_class__isnull=True) & Q(group__isnull=False)),
                name="assignment_class_xor_group",
            ),
            models.UniqueConstraint(
                fields=["teacher", "school_class", "group", "subject"],
                name="assignment_unique",
            ),
        ]


class HeadTeacher(models.Model):
    """The professeur principal of a class."""

    teacher = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="head_of")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="head_teachers"
    )

    class Meta:
        verbose_name = _("professeur principal")
        verbose_name_plural = _("professeurs principaux")
        constraints = [
            models.UniqueConstraint(fields=["teacher", "school_class"], name="head_teacher_unique")
        ]


class RelativeLink(models.Model):
    """A parent (or person in charge) of a pupil, as the AAF ``ENTElevePersRelEleve`` says."""

    class LegalLevel(models.IntegerChoices):
        LEGAL_REPRESENTATIVE = 1, _("Représentant légal")
        PERSON_IN_CHARGE = 2, _("Personne en charge")

    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="children_links")
    pupil = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relative_links")
    legal_level = models.PositiveSmallIntegerField(
        _("niveau de responsabilité"),
        choices=LegalLevel.choices,
        default=LegalLevel.LEGAL_REPRESENTATIVE,
    )
    relation_code = models.CharField(
        _("lien de parenté (code BCN)"), max_length=4, blank=True, help_text=_("10 mère, 20 père…")
    )
    is_financial = models.BooleanField(_("responsable financier"), default=False)
    is_contact = models.BooleanField(_("contact"), default=False)

    class Meta:
        verbose_name = _("lien parent-élève")
        verbose_name_plural = _("liens parent-élève")
        constraints = [
            models.UniqueConstraint(fields=["relative", "pupil"], name="relative_link_unique")
        ]

    RELATION_LABELS: ClassVar[dict[str, Any]] = {
        "10": _("Mère"),
        "20": _("Père"),
        "50": _("Tuteur"),
        "39": _("Autre membre de la famille"),
        "38": _("Ascendant"),
        "51": _("Aide sociale à l'enfance"),
        "41": _("Éducateur"),
        "42": _("Assistant familial"),
        "43": _("Garde d'enfant"),
        "90": _("Autre lien"),
    }

    @property
    def relation_label(self) -> str:
        return str(self.RELATION_LABELS.get(self.relation_code, _("Responsable")))


class SchoolAdmin(models.Model):
    """Local administration of a school (ADML) granted to a member of its staff."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="school_admin_of")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="admins")
    granted_at = models.DateTimeField(_("accordé le"), default=timezone.now)

    class Meta:
        verbose_name = _("administrateur d'établissement")
        verbose_name_plural = _("administrateurs d'établissement")
        constraints = [
            models.UniqueConstraint(fields=["person", "school"], name="school_admin_unique")
        ]


class AuthorityRole(models.Model):
    """A person working for a public body (collectivité, académie, DRAAF, région)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="authority_roles")
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="staff")
    is_admin = models.BooleanField(_("administrateur"), default=False)

    class Meta:
        verbose_name = _("rôle dans une autorité")
        verbose_name_plural = _("rôles dans une autorité")
        constraints = [
            models.UniqueConstraint(fields=["person", "authority"], name="authority_role_unique")
        ]
