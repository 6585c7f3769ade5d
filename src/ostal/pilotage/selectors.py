"""Reads of the pilotage, always scoped to the person reading (missing = forbidden = 404)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ostal.pilotage.abilities import may_read_member, readable_member_ids, roles_of
from ostal.pilotage.models import (
    Consultation,
    Convention,
    FrameworkAgreement,
    Membership,
    Order,
)
from ostal.territory.models import Authority, School


def current_convention(day: date | None = None) -> Convention | None:
    """The convention in force (the newest notified one whose latest end is not past)."""
    day = day or timezone.localdate()
    return (
        Convention.objects.filter(notified_on__lte=day, latest_end_on__gte=day)
        .select_related("coordinator")
        .order_by("-notified_on")
        .first()
        or Convention.objects.select_related("coordinator").order_by("-notified_on").first()
    )


def current_agreement(
    convention: Convention | None, day: date | None = None
) -> FrameworkAgreement | None:
    if convention is None:
        return None
    day = day or timezone.localdate()
    agreements = list(convention.agreements.all())
    for agreement in agreements:
        if agreement.current_on(day):
            return agreement
    return agreements[0] if agreements else None


def members_visible_to(user: Any) -> QuerySet[Authority]:
    ids = readable_member_ids(user)
    members = Authority.objects.filter(is_groupement_member=True)
    return members if ids is None else members.filter(pk__in=ids)


def orders_visible_to(user: Any) -> QuerySet[Order]:
    """Member staff and auditors see their body's orders; the coordinator sees all."""
    if not roles_of(user):
        return Order.objects.none()
    ids = readable_member_ids(user)
    orders = Order.objects.select_related("member", "agreement")
    return orders if ids is None else orders.filter(member_id__in=ids)


def order_for(user: Any, order_id: int) -> Order:
    order = orders_visible_to(user).filter(pk=order_id).first()
    if order is None:
        raise Http404
    return order


def owed_orders(authority: Authority, convention: Convention) -> QuerySet[Order]:
    """The member's orders under the convention that it still owes the contractor
    (notified or service verified, not yet paid), whatever its membership's state."""
    return (
        Order.objects.filter(
            agreement__convention=convention, member=authority, state__in=Order.OWED
        )
        .select_related("agreement")
        .order_by("starts_on", "pk")
    )


def membership_for(user: Any, membership_id: int) -> Membership:
    """A membership of the convention in force, if the person may read that member's
    account (its own body; the whole groupement for the coordinator and its auditors)."""
    convention = current_convention()
    membership = (
        convention.memberships.filter(pk=membership_id).select_related("authority").first()
        if convention is not None
        else None
    )
    if membership is None or not may_read_member(user, membership.authority):
        raise Http404
    return membership


def consultation_for(user: Any, consultation_id: int) -> Consultation:
    if not roles_of(user):
        raise Http404
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None:
        raise Http404
    return consultation


#: Art. 7: « chaque collectivité émettra […] les bons de commande correspondant à tout ou
#: partie des établissements dont elle a la charge ».
COLLECTIVITE_KINDS = (Authority.Kind.REGION, Authority.Kind.DEPARTMENT)


def deployment_orderer_id(authority: Authority | None) -> int | None:
    """Who issues the deployment orders of the schools in ``authority``'s charge (art. 7):
    the body the territory data names (``deployment_ordered_by``: in Occitanie, the Région
    for the DRAAF's lycées agricoles), else the authority itself if it is a collectivité,
    else nobody."""
    if authority is None:
        return None
    if authority.deployment_ordered_by_id is not None:
        return authority.deployment_ordered_by_id
    return authority.pk if authority.kind in COLLECTIVITE_KINDS else None


def bodies_deployed_by(member: Authority) -> QuerySet[Authority]:
    """The bodies whose schools ``member`` orders the deployment of (empty: it issues no
    deployment order, e.g. an académie, or the DRAAF in Occitanie)."""
    return Authority.objects.filter(
        Q(deployment_ordered_by=member)
        | Q(pk=member.pk, deployment_ordered_by__isnull=True, kind__in=COLLECTIVITE_KINDS)
    )


def deployable_schools(member: Authority) -> QuerySet[School]:
    """The open schools whose deployment the member orders (art. 7): those in its charge,
    and those of the bodies whose deployment the territory data gives it."""
    return School.objects.filter(
        responsible_authority__in=bodies_deployed_by(member), is_open=True
    ).order_by("name")


def deployment_scope(user: Any, member: Authority | None = None) -> QuerySet[School]:
    """Schools on the person's deployment dashboard (optionally one member's)."""
    ids = readable_member_ids(user)
    schools = School.objects.filter(responsible_authority__is_groupement_member=True)
    if ids is not None:
        # A body's own schools, and those whose deployment it orders (the Région's staff
        # see the DRAAF's lycées agricoles in Occitanie).
        schools = schools.filter(
            Q(responsible_authority_id__in=ids)
            | Q(responsible_authority__deployment_ordered_by_id__in=ids)
        )
    if member is not None:
        schools = schools.filter(responsible_authority=member)
    return schools.order_by("responsible_authority__kind", "responsible_authority__code", "name")
