"""The territory: public bodies (région, académies, DRAAF, départements) and schools.

Rules held here:
* the structure of a region is data (``load_territory``), never code;
* a school has one responsible body: the Région for lycées (general, technological,
  professional) and EREA, its département for collèges, the DRAAF for agricultural lycées;
* schools sharing premises form a cité scolaire, pointing at their head school (siège);
* who issues the deployment orders of a body's schools (convention, art. 7) is data too:
  ``Authority.deployment_ordered_by`` (in Occitanie, the Région for the DRAAF's schools).
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ostal.core.french import school_name
from ostal.core.models import TimeStampedModel

uai_validator = RegexValidator(
    r"^[0-9]{7}[A-Z]$", _("Un UAI compte 7 chiffres suivis d'une lettre majuscule.")
)


class Authority(TimeStampedModel):
    """A public body of the territory (collectivité or State service)."""

    class Kind(models.TextChoices):
        REGION = "region", _("Région")
        ACADEMY = "academy", _("Académie")
        DRAAF = "draaf", _("DRAAF")
        DEPARTMENT = "department", _("Département")

    key = models.SlugField(_("clé"), max_length=40, unique=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    code = models.CharField(
        _("code"), max_length=8, help_text=_("INSEE (région, département), académie (11, 16…)")
    )
    name = models.CharField(_("nom"), max_length=120)
    region = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "region"},
        verbose_name=_("région"),
    )
    academy = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="departments",
        limit_choices_to={"kind": "academy"},
        verbose_name=_("académie"),
        help_text=_("Pour un département : l'académie dont il relève."),
    )
    deployment_ordered_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("déploiement commandé par"),
        help_text=_(
            "Convention, art. 7 : la collectivité qui émet les bons de commande de déploiement "
            "des établissements dont cet organisme a la charge (en Occitanie : la Région pour "
            "les lycées agricoles de la DRAAF). Vide : une collectivité commande pour ses "
            "propres établissements ; un autre organisme ne commande pas de déploiement."
        ),
    )
    is_groupement_member = models.BooleanField(_("membre du groupement"), default=False)
    is_coordinator = models.BooleanField(_("coordonnateur du groupement"), default=False)

    class Meta:
        verbose_name = _("autorité")
        verbose_name_plural = _("autorités")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="authority_kind_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class School(TimeStampedModel):
    """An établissement (EPLE, EPLEFPA, private school under contract…)."""

    class Kind(models.TextChoices):
        COLLEGE = "college", _("Collège")
        LYCEE = "lycee", _("Lycée général et technologique")
        LYCEE_PRO = "lycee_pro", _("Lycée professionnel")
        LYCEE_POLY = "lycee_poly", _("Lycée polyvalent")
        LYCEE_AGRICOLE = "lycee_agricole", _("Lycée agricole")
        EREA = "erea", _("EREA")
        OTHER = "other", _("Autre")

    class Sector(models.TextChoices):
        PUBLIC = "public", _("Public")
        PRIVATE = "private", _("Privé sous contrat")

    uai = models.CharField(_("UAI"), max_length=8, unique=True, validators=[uai_validator])
    name = models.CharField(_("nom"), max_length=160)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    sector = models.CharField(
        _("secteur"), max_length=8, choices=Sector.choices, default=Sector.PUBLIC
    )
    commune = models.CharField(_("commune"), max_length=120, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    # Department, académie and responsible body are empty for a school the directory feed
    # delivered but that lies outside the deployment's territory (a warning of the import).
    department = models.ForeignKey(
        Authority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="schools_in",
        limit_choices_to={"kind": "department"},
        verbose_name=_("département"),
    )
    academy = models.ForeignKey(
        Authority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="schools_of_academy",
        limit_choices_to={"kind": "academy"},
        verbose_name=_("académie"),
    )
    responsible_authority = models.ForeignKey(
        Authority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="schools_responsible",
        verbose_name=_("collectivité de rattachement"),
    )
    cite_scolaire_head = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cite_scolaire_members",
        verbose_name=_("siège de la cité scolaire"),
    )
    is_open = models.BooleanField(_("ouvert"), default=True)

    class Meta:
        verbose_name = _("établissement")
        verbose_name_plural = _("établissements")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.uai})"

    @property
    def display_name(self) -> str:
        """The name in a readable case (« LYC PIERRE DE FERMAT » → « Lycée Pierre de Fermat »);
        ``name`` keeps the directory's value."""
        return school_name(self.name)

    @property
    def in_territory(self) -> bool:
        return self.department_id is not None

    @property
    def is_lycee(self) -> bool:
        return self.kind in {
            self.Kind.LYCEE,
            self.Kind.LYCEE_PRO,
            self.Kind.LYCEE_POLY,
            self.Kind.EREA,
        }
