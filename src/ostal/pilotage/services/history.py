"""The append-only trail of the pilotage, and the granting of pilotage roles."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from ostal.pilotage.errors import ConventionRuleError
from ostal.pilotage.models import HistoryEntry, PilotageRole
from ostal.territory.models import Authority


def history_record(
    *,
    actor: Any,
    action: str,
    subject: models.Model,
    message: str,
    data: dict[str, Any] | None = None,
) -> HistoryEntry:
    return HistoryEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        subject_type=subject._meta.model_name or "",
        subject_id=subject.pk,
        message=message[:500],
        data=data or {},
    )


def history_of(subject: models.Model) -> models.QuerySet[HistoryEntry]:
    return HistoryEntry.objects.filter(
        subject_type=subject._meta.model_name, subject_id=subject.pk
    ).select_related("actor")


@transaction.atomic
def pilotage_role_grant(
    *, person: Any, authority: Authority, role: str, actor: Any = None
) -> PilotageRole:
    """Art. 6: only the coordinating body has coordinator staff."""
    if role == PilotageRole.Role.COORDINATOR and not authority.is_coordinator:
        raise ConventionRuleError(
            rule="Art. 6",
            code="not_coordinator",
            message=_("%(name)s n'est pas le coordonnateur du groupement.")
            % {"name": authority.name},
        )
    if hasattr(person, "_pilotage_roles"):
        del person._pilotage_roles  # the per-object cache of ``abilities.roles_of``
    granted, _created = PilotageRole.objects.update_or_create(
        person=person, authority=authority, defaults={"role": role}
    )
    history_record(
        actor=actor,
        action="role_granted",
        subject=granted,
        message=f"{person} : {granted.get_role_display()} — {authority.name}",
    )
    return granted
