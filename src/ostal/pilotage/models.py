"""The groupement de commande, as its constitutive convention describes it.

Rules held here (the articles are those of the convention in ``shared/seed``):
* a convention (art. 4) is valid from its notification until the end of the framework
  agreement and at the latest on a fixed date; a renewal is a new convention that
  ``renews`` the previous one;
* a membership (art. 3, 5) starts with the signature, ends by withdrawal (a recorded
  deliberation) or by exclusion (express and identical decisions of all other members);
  memberships are never deleted, their end is recorded;
* amendments (art. 11) are approved by all members and never retroactive;
* the framework agreement (art. 2) lasts 4 years from its notification;
* orders (bons de commande, art. 7) belong to the member that issues them; deployment
  orders cover some of the schools the member is responsible for; cancelled orders stay;
  an order's recurring amount is annual: it counts once per year of the order;
* consultations (art. 6): 15 calendar days from receipt for observations, then 15 days
  for the coordinator to validate;
* every change leaves an append-only ``HistoryEntry`` (who, when, what).

Money is ``DecimalField`` (euros, 2 places) and is only ever handled as ``Decimal``.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ostal.core.models import AppendOnlyError, AppendOnlyQuerySet, TimeStampedModel
from ostal.territory.models import Authority, School

AGREEMENT_TERM_YEARS = 4
OBSERVATION_DAYS = 15
VALIDATION_DAYS = 15


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def order_years(starts_on: date, ends_on: date) -> int:
    """How many years of the order the service period spans: year 1 runs from
    ``starts_on`` to the day before its first anniversary, and so on; a year the service
    enters counts whole (the recurring amount is an annual amount, due for each year of
    the order, and members report on their orders year by year)."""
    years = 1
    while add_years(starts_on, years) <= ends_on:
        years += 1
    return years


class Convention(TimeStampedModel):
    """The constitutive convention of the groupement (or one of its renewals)."""

    title = models.CharField(_("intitulé"), max_length=255)
    reference = models.CharField(_("référence"), max_length=80, blank=True)
    coordinator = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", verbose_name=_("coordonnateur")
    )
    notified_on = models.DateField(_("notifiée le"))
    latest_end_on = models.DateField(
        _("fin au plus tard le"), help_text=_("Art. 4 : au plus tard à cette date.")
    )
    renews = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal",
        verbose_name=_("renouvelle"),
    )

    class Meta:
        verbose_name = _("convention constitutive")
        verbose_name_plural = _("conventions constitutives")
        ordering = ["-notified_on"]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_on(self) -> date:
        """Art. 4: until the end of the agreement concluded, at the latest ``latest_end_on``."""
        ends = [
            a.ends_on
            for a in self.agreements.all()
            if a.state == FrameworkAgreement.State.ACTIVE and a.ends_on is not None
        ]
        terminated = [a.terminated_on for a in self.agreements.all() if a.terminated_on is not None]
        candidates = [self.latest_end_on, *terminated]
        if ends:
            candidates.append(max(ends))
        return min(candidates)

    def in_force_on(self, day: date) -> bool:
        return self.notified_on <= day <= self.ends_on


class Membership(TimeStampedModel):
    """A public body's membership of the groupement under one convention."""

    class State(models.TextChoices):
        MEMBER = "member", _("Membre")
        WITHDRAWN = "withdrawn", _("Retiré")
        EXCLUDED = "excluded", _("Exclu")

    convention = models.ForeignKey(Convention, on_delete=models.PROTECT, related_name="memberships")
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="pilotage_memberships"
    )
    state = models.CharField(
        _("situation"), max_length=10, choices=State.choices, default=State.MEMBER
    )
    signed_on = models.DateField(_("adhésion (signature) le"))
    left_on = models.DateField(_("sortie le"), null=True, blank=True)
    deliberation = models.CharField(
        _("délibération ou décision"),
        max_length=255,
        blank=True,
        help_text=_("Art. 5 : la délibération qui constate le retrait ou l'exclusion."),
    )

    class Meta:
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        ordering = ["authority__kind", "authority__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "authority"], name="pilotage_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority} ({self.get_state_display()})"

    @property
    def is_current(self) -> bool:
        return self.state == self.State.MEMBER


class MemberDecision(models.Model):
    """One member's express decision (deliberation) on a collective matter: the exclusion
    of another member (art. 5) or the termination of the framework agreement (art. 6)."""

    class Kind(models.TextChoices):
        EXCLUSION = "exclusion", _("Exclusion d'un membre")
        TERMINATION = "termination", _("Résiliation de l'accord-cadre")

    kind = models.CharField(_("objet"), max_length=12, choices=Kind.choices)
    decided_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="decisions_taken"
    )
    target = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions_about",
        verbose_name=_("membre visé"),
    )
    agreement = models.ForeignKey(
        "FrameworkAgreement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deliberation = models.CharField(_("délibération ou décision"), max_length=255)
    decided_on = models.DateField(_("décidée le"))
    recorded_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("décision d'un membre")
        verbose_name_plural = _("décisions des membres")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "decided_by", "target", "agreement"],
                name="pilotage_decision_unique",
            )
        ]


class Amendment(TimeStampedModel):
    """An avenant to the convention (art. 11)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("En cours d'approbation")
        ADOPTED = "adopted", _("Adopté")

    convention = models.ForeignKey(Convention, on_delete=models.PROTECT, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("objet"), max_length=255)
    effective_on = models.DateField(_("prend effet le"))
    state = models.CharField(
        _("état"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    adopted_on = models.DateField(_("adopté le"), null=True, blank=True)

    class Meta:
        verbose_name = _("avenant")
        verbose_name_plural = _("avenants")
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"], name="pilotage_amendment_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Avenant n° {self.number} — {self.title}"


class AmendmentApproval(models.Model):
    """A member's approval of an amendment, in the forms used to adopt the convention."""

    amendment = models.ForeignKey(Amendment, on_delete=models.PROTECT, related_name="approvals")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    deliberation = models.CharField(_("délibération ou décision"), max_length=255)
    approved_on = models.DateField(_("approuvé le"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["amendment", "membership"], name="pilotage_approval_unique"
            )
        ]


class FrameworkAgreement(TimeStampedModel):
    """The accord-cadre concluded by the coordinator for all members (art. 2, 6)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("En préparation")
        ACTIVE = "active", _("Notifié")
        TERMINATED = "terminated", _("Résilié")

    convention = models.ForeignKey(Convention, on_delete=models.PROTECT, related_name="agreements")
    reference = models.CharField(_("référence"), max_length=80)
    title = models.CharField(_("objet"), max_length=255)
    contractor = models.CharField(_("titulaire"), max_length=160)
    state = models.CharField(_("état"), max_length=12, choices=State.choices, default=State.DRAFT)
    notified_on = models.DateField(_("notifié le"), null=True, blank=True)
    terminated_on = models.DateField(_("résilié le"), null=True, blank=True)

    class Meta:
        verbose_name = _("accord-cadre")
        verbose_name_plural = _("accords-cadres")
        ordering = ["-notified_on"]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    @property
    def ends_on(self) -> date | None:
        """Art. 2: four years from notification (the day before the fourth anniversary)."""
        if self.notified_on is None:
            return None
        end = add_years(self.notified_on, AGREEMENT_TERM_YEARS) - timedelta(days=1)
        if self.terminated_on is not None:
            return min(end, self.terminated_on)
        return end

    def current_on(self, day: date) -> bool:
        ends = self.ends_on
        return (
            self.state == self.State.ACTIVE
            and self.notified_on is not None
            and ends is not None
            and self.notified_on <= day <= ends
        )


class Order(TimeStampedModel):
    """A bon de commande issued by one member under the framework agreement (art. 7)."""

    class Kind(models.TextChoices):
        DEPLOYMENT = "deployment", _("Déploiement (forfaitaire et récurrent)")
        UNIT = "unit", _("Prestation unitaire (développement spécifique)")

    class State(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        NOTIFIED = "notified", _("Notifié au titulaire")
        VERIFIED = "verified", _("Service fait constaté")
        PAID = "paid", _("Payé")
        CANCELLED = "cancelled", _("Annulé")

    #: States in which an order commits its member (counted in weights and dues).
    COMMITTED = (State.NOTIFIED, State.VERIFIED, State.PAID)
    #: States in which the member still owes the contractor (art. 5: dues before leaving).
    OWED = (State.NOTIFIED, State.VERIFIED)

    agreement = models.ForeignKey(
        FrameworkAgreement, on_delete=models.PROTECT, related_name="orders"
    )
    member = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="pilotage_orders")
    number = models.CharField(_("numéro"), max_length=40)
    kind = models.CharField(_("nature"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("objet"), max_length=255)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.DRAFT)
    lump_sum_amount = models.DecimalField(
        _("montant forfaitaire HT (€)"), default=Decimal("0.00"), max_digits=14, decimal_places=2
    )
    recurring_amount = models.DecimalField(
        _("montant récurrent annuel HT (€)"),
        default=Decimal("0.00"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Dû pour chaque année de la commande (une année entamée compte)."),
    )
    starts_on = models.DateField(_("début de la prestation"))
    ends_on = models.DateField(_("fin de la prestation"))
    schools = models.ManyToManyField(
        School, blank=True, related_name="pilotage_orders", verbose_name=_("établissements")
    )
    notified_on = models.DateField(_("notifié le"), null=True, blank=True)
    verified_on = models.DateField(_("service fait le"), null=True, blank=True)
    paid_on = models.DateField(_("payé le"), null=True, blank=True)
    cancelled_on = models.DateField(_("annulé le"), null=True, blank=True)
    cancel_reason = models.CharField(_("motif d'annulation"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("bon de commande")
        verbose_name_plural = _("bons de commande")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["member", "number"], name="pilotage_order_number"),
            models.CheckConstraint(
                condition=Q(lump_sum_amount__gte=0) & Q(recurring_amount__gte=0),
                name="pilotage_order_amounts_positive",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="pilotage_order_period"
            ),
        ]
        indexes = [models.Index(fields=["kind", "state", "starts_on", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    @property
    def years(self) -> int:
        """Years of the order (``order_years``): the recurring amount counts once each."""
        return order_years(self.starts_on, self.ends_on)

    @property
    def recurring_total(self) -> Decimal:
        return self.recurring_amount * self.years

    @property
    def total_amount(self) -> Decimal:
        """What the order commits: the lump sum, plus the annual recurring amount for each
        year of the order (counted so in dues and in weights)."""
        return self.lump_sum_amount + self.recurring_total


class Consultation(TimeStampedModel):
    """An offer-analysis round: the coordinator sends its analysis to the members (art. 6)."""

    class State(models.TextChoices):
        OPEN = "open", _("Ouverte aux observations")
        VALIDATED = "validated", _("Analyse validée")

    convention = models.ForeignKey(
        Convention, on_delete=models.PROTECT, related_name="consultations"
    )
    title = models.CharField(_("objet"), max_length=255)
    sent_at = models.DateTimeField(_("éléments d'analyse envoyés le"))
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.OPEN)
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True)
    validated_late = models.BooleanField(_("validée hors délai"), default=False)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.title


class ConsultationReceipt(models.Model):
    """A member's receipt of the analysis: its 15 calendar days run from here."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="receipts"
    )
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("reçu le"))
    deadline = models.DateField(_("observations au plus tard le"))
    last_reminded_on = models.DateField(_("dernière relance le"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "membership"], name="pilotage_receipt_unique"
            )
        ]


class Observation(models.Model):
    """A member's observations on the analysis; late ones are kept and flagged."""

    receipt = models.ForeignKey(
        ConsultationReceipt, on_delete=models.PROTECT, related_name="observations"
    )
    text = models.TextField(_("observations"))
    submitted_at = models.DateTimeField(_("envoyées le"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_late = models.BooleanField(_("hors délai"), default=False)

    class Meta:
        ordering = ["submitted_at"]


class CostAllocation(TimeStampedModel):
    """A sum shared among the members: damages by weight (art. 8), termination costs
    equally (art. 6). Frozen when recorded: the coordinator's call for funds."""

    class Kind(models.TextChoices):
        DAMAGES = "damages", _("Dommages et intérêts (au poids relatif)")
        TERMINATION = "termination", _("Frais de résiliation (à parts égales)")

    agreement = models.ForeignKey(
        FrameworkAgreement, on_delete=models.PROTECT, related_name="allocations"
    )
    kind = models.CharField(_("nature"), max_length=12, choices=Kind.choices)
    label = models.CharField(_("objet"), max_length=255)
    total = models.DecimalField(_("montant total (€)"), max_digits=14, decimal_places=2)
    decided_on = models.DateField(_("décision du"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("répartition de charges")
        verbose_name_plural = _("répartitions de charges")
        ordering = ["-created_at"]


class CostShare(models.Model):
    allocation = models.ForeignKey(CostAllocation, on_delete=models.PROTECT, related_name="shares")
    member = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(_("poids"), max_digits=9, decimal_places=6)
    amount = models.DecimalField(_("part (€)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["member__kind", "member__code"]


class PilotageRole(models.Model):
    """A person's role in the groupement's pilotage (see ADR 0012)."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Équipe du coordonnateur")
        MEMBER = "member", _("Équipe d'un membre")
        AUDITOR = "auditor", _("Auditeur (lecture seule)")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pilotage_roles"
    )
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("rôle"), max_length=12, choices=Role.choices)
    granted_at = models.DateTimeField(_("accordé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rôle de pilotage")
        verbose_name_plural = _("rôles de pilotage")
        constraints = [
            models.UniqueConstraint(fields=["person", "authority"], name="pilotage_role_unique")
        ]


class HistoryEntry(models.Model):
    """Append-only trail of every pilotage write: who did what, when, on which record."""

    at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=40)
    subject_type = models.CharField(_("objet"), max_length=40)
    subject_id = models.PositiveBigIntegerField(_("identifiant"))
    message = models.CharField(_("détail"), max_length=500)
    data = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("historique du pilotage")
        verbose_name_plural = _("historique du pilotage")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("append-only log: rows are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("append-only log: pilotage history is never deleted")


class DailyAudience(models.Model):
    """One day of audience events for one school, profile and service (Europe/Paris day)."""

    day = models.DateField(_("jour"))
    uai = models.CharField(_("UAI"), max_length=8)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member = models.ForeignKey(
        Authority, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    profile = models.CharField(_("profil"), max_length=16)
    service = models.CharField(_("service"), max_length=40)
    visits = models.PositiveIntegerField(_("visites"))
    visitors = models.PositiveIntegerField(_("comptes actifs"))

    class Meta:
        verbose_name = _("audience quotidienne")
        verbose_name_plural = _("audiences quotidiennes")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "uai", "profile", "service"], name="pilotage_daily_unique"
            )
        ]
        indexes = [models.Index(fields=["member", "day"]), models.Index(fields=["day"])]


class DailyAccounts(models.Model):
    """Accounts of one school and profile on one day: how many, how many activated."""

    day = models.DateField(_("jour"))
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        Authority, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    profile = models.CharField(_("profil"), max_length=16)
    accounts = models.PositiveIntegerField(_("comptes"))
    activated = models.PositiveIntegerField(_("comptes activés"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "school", "profile"], name="pilotage_accounts_unique"
            )
        ]
