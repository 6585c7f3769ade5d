"""The registry of services Ostal signs people into over CAS.

Rules held here:
* a connected service is known by an anchored URL pattern (a regular expression that must
  name its host literally, https only outside embedded mode: see ``patterns.py``);
* it is open region-wide, to the schools of one authority (collectivité, académie), or to
  one school; people outside that scope get no ticket;
* it receives only the attributes chosen for it (a subset of
  ``ostal.directory.identity.ATTRIBUTE_NAMES``);
* the registry is Ostal's; django-cas-server's ``ServicePattern`` (+ its attribute and
  filter rows) is a derived copy kept in step by ``services.py``, present only while the
  service is enabled.
"""

from __future__ import annotations

from cas_server.models import ServicePattern
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostal.territory.models import Authority, School


class ConnectedService(models.Model):
    """A service (vie scolaire, publisher, local tool) allowed to ask for CAS tickets."""

    class Scope(models.TextChoices):
        REGION = "region", _("Toute la région")
        AUTHORITY = "authority", _("Les établissements d'une collectivité")
        SCHOOL = "school", _("Un établissement")

    name = models.CharField(_("nom"), max_length=120, unique=True)
    url_pattern = models.CharField(
        _("adresses du service (expression régulière)"),
        max_length=255,
        unique=True,
        help_text=_("Par exemple ^https://pronote\\.exemple\\.fr/.*$"),
    )
    scope = models.CharField(_("ouvert à"), max_length=10, choices=Scope.choices)
    authority = models.ForeignKey(
        Authority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("collectivité"),
    )
    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("établissement"),
    )
    released_attributes = models.JSONField(_("attributs transmis"), default=list, blank=True)
    proxy_callback = models.BooleanField(
        _("peut obtenir des tickets de proxy (PGT)"), default=False
    )
    accepts_proxy_tickets = models.BooleanField(_("accepte les tickets de proxy"), default=False)
    single_logout = models.BooleanField(
        _("déconnexion unique (le service est prévenu de la déconnexion)"), default=False
    )
    enabled = models.BooleanField(_("activé"), default=True)
    service_pattern = models.OneToOneField(
        ServicePattern,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("service connecté (CAS)")
        verbose_name_plural = _("services connectés (CAS)")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope="region", authority__isnull=True, school__isnull=True)
                    | Q(scope="authority", authority__isnull=False, school__isnull=True)
                    | Q(scope="school", authority__isnull=True, school__isnull=False)
                ),
                name="connected_service_scope_target",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_label(self) -> str:
        if self.scope == self.Scope.SCHOOL and self.school is not None:
            return f"{self.school.display_name} ({self.school.uai})"
        if self.scope == self.Scope.AUTHORITY and self.authority is not None:
            return str(self.authority)
        return str(self.Scope(self.scope).label)
