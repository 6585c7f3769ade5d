"""JSON API of the pilotage (``/api/v1/pilotage/``): orders, deployment state, statistics;
drafting an order and its lifecycle. A refusal of the convention answers 409 with the usual
error shape plus the ``rule`` that refuses: ``{"error": {"status": 409, "code": …,
"rule": "Art. 7", "message": "…"}}``."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ostal.core.params import parse_id
from ostal.pilotage import services
from ostal.pilotage.abilities import is_staff_of_member, roles_of, writable_members
from ostal.pilotage.deployment import deployment_states
from ostal.pilotage.errors import ConventionRuleError
from ostal.pilotage.models import Order
from ostal.pilotage.selectors import (
    current_agreement,
    current_convention,
    deployment_scope,
    members_visible_to,
    order_for,
    orders_visible_to,
)
from ostal.pilotage.statistics import figures_for
from ostal.territory.models import Authority, School


class OrderSerializer(serializers.ModelSerializer[Order]):
    member = serializers.CharField(source="member.key")
    member_name = serializers.CharField(source="member.name")
    agreement = serializers.CharField(source="agreement.reference")
    years = serializers.IntegerField(read_only=True)
    recurring_total = serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=True, read_only=True
    )
    total_amount = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True)
    schools: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="uai", many=True, read_only=True
    )

    class Meta:
        model = Order
        fields = [
            "id", "number", "member", "member_name", "agreement", "kind", "title", "state",
            "lump_sum_amount", "recurring_amount", "years", "recurring_total", "total_amount",
            "starts_on", "ends_on",
            "notified_on", "verified_on", "paid_on", "cancelled_on", "cancel_reason", "schools",
        ]  # fmt: skip


class OrderCreateSerializer(serializers.Serializer[Any]):
    """A draft order; ``member`` is the key of the body ordering (default: the caller's first
    body), ``schools`` the UAIs covered by a deployment order."""

    member = serializers.CharField(required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=Order.Kind.choices)
    title = serializers.CharField(max_length=255)
    lump_sum_amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    recurring_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, default=Decimal("0.00")
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    schools = serializers.ListField(
        child=serializers.CharField(max_length=8), required=False, default=list
    )


class TransitionSerializer(serializers.Serializer[Any]):
    to_state = serializers.ChoiceField(choices=Order.State.choices)
    on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


def refusal(error: ConventionRuleError) -> Response:
    return Response(
        {
            "error": {
                "status": 409,
                "code": error.code,
                "rule": error.rule,
                "message": error.message,
            }
        },
        status=409,
    )


def _require_role(request: Request) -> None:
    if not roles_of(request.user):
        raise Http404


class OrderListView(APIView):
    """The orders the person may read (own body's; all for the coordinator and its auditors)."""

    @extend_schema(responses={200: OrderSerializer(many=True)})
    def get(self, request: Request) -> Response:
        _require_role(request)
        orders = orders_visible_to(request.user).prefetch_related("schools").order_by("pk")[:1000]
        return Response({"results": OrderSerializer(orders, many=True).data})

    @extend_schema(request=OrderCreateSerializer, responses={201: OrderSerializer})
    def post(self, request: Request) -> Response:
        """Draft an order in the name of one of the caller's bodies; the convention's
        refusals (e.g. Art. 7, a school of another collectivité) answer 409 with the rule."""
        _require_role(request)
        members = writable_members(request.user)
        if not members:
            raise Http404
        data = OrderCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        member = members[0]
        if values["member"]:
            named = Authority.objects.filter(key=values["member"]).first()
            if named is None:
                raise serializers.ValidationError({"member": [gettext("Membre inconnu.")]})
            member = named
        uais = list(dict.fromkeys(values["schools"]))
        schools = list(School.objects.filter(uai__in=uais))
        unknown = sorted(set(uais) - {s.uai for s in schools})
        if unknown:
            raise serializers.ValidationError(
                {
                    "schools": [
                        gettext("Établissement inconnu : %(uai)s.") % {"uai": uai}
                        for uai in unknown
                    ]
                }
            )
        agreement = current_agreement(current_convention())
        if agreement is None:
            return refusal(
                ConventionRuleError(
                    rule="Art. 2",
                    code="no_agreement",
                    message=gettext("Aucun accord-cadre en cours."),
                )
            )
        try:
            order = services.order_create(
                member=member,
                agreement=agreement,
                kind=values["kind"],
                title=values["title"],
                lump_sum_amount=values["lump_sum_amount"],
                recurring_amount=values["recurring_amount"],
                starts_on=values["starts_on"],
                ends_on=values["ends_on"],
                schools=schools,
                actor=request.user,
            )
        except ConventionRuleError as error:
            return refusal(error)
        return Response(OrderSerializer(order).data, status=201)


class OrderDetailView(APIView):
    @extend_schema(responses={200: OrderSerializer})
    def get(self, request: Request, order_id: int) -> Response:
        _require_role(request)
        return Response(OrderSerializer(order_for(request.user, order_id)).data)


class OrderTransitionView(APIView):
    """Move an order along draft → notified → verified → paid (or cancel it)."""

    @extend_schema(request=TransitionSerializer, responses={200: OrderSerializer})
    def post(self, request: Request, order_id: int) -> Response:
        _require_role(request)
        order = order_for(request.user, order_id)
        if not is_staff_of_member(request.user, order.member):
            return refusal(
                ConventionRuleError(
                    rule="Art. 7",
                    code="not_your_order",
                    message="Chaque membre émet et suit ses propres bons de commande.",
                )
            )
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            order = services.order_transition(
                order=order,
                to_state=data.validated_data["to_state"],
                on=data.validated_data.get("on"),
                reason=data.validated_data.get("reason", ""),
                actor=request.user,
            )
        except ConventionRuleError as error:
            return refusal(error)
        return Response(OrderSerializer(order).data)


DEPLOYMENT_RESPONSE = inline_serializer(
    "PilotageDeployment",
    {
        "date": serializers.DateField(),
        "results": inline_serializer(
            "PilotageSchoolDeployment",
            {
                "uai": serializers.CharField(),
                "name": serializers.CharField(),
                "member": serializers.CharField(allow_null=True),
                "state": serializers.CharField(),
                "order": serializers.CharField(allow_null=True),
                "open_until": serializers.DateField(allow_null=True),
            },
            many=True,
        ),
    },
)
STATISTICS_RESPONSE = inline_serializer(
    "PilotageStatistics",
    {
        "start": serializers.DateField(),
        "end": serializers.DateField(),
        "visits": serializers.IntegerField(),
        "active_accounts": serializers.IntegerField(),
        "accounts": serializers.IntegerField(),
        "activated": serializers.IntegerField(),
        "by_day": serializers.ListField(child=serializers.DictField()),
        "by_service": serializers.ListField(child=serializers.DictField()),
        "by_school": serializers.ListField(child=serializers.DictField()),
    },
)


class DeploymentView(APIView):
    """Each school of the person's scope with its deployment state today."""

    @extend_schema(responses={200: DEPLOYMENT_RESPONSE})
    def get(self, request: Request) -> Response:
        _require_role(request)
        states = deployment_states(deployment_scope(request.user))
        return Response(
            {
                "date": timezone.localdate().isoformat(),
                "results": [
                    {
                        "uai": s.school.uai,
                        "name": s.school.name,
                        "member": s.school.responsible_authority.key
                        if s.school.responsible_authority
                        else None,
                        "state": s.state,
                        "order": s.order.number if s.order else None,
                        "open_until": s.order.ends_on.isoformat() if s.order else None,
                    }
                    for s in states
                ],
            }
        )


class StatisticsView(APIView):
    """Aggregated audience of the person's scope over the last ``jours`` days."""

    @extend_schema(responses={200: STATISTICS_RESPONSE})
    def get(self, request: Request) -> Response:
        _require_role(request)
        days = parse_id(request.query_params.get("jours"))
        n = days if days is not None and days <= 366 else 30
        end = timezone.localdate() - timedelta(days=1)
        start = end - timedelta(days=n - 1)
        wanted = request.query_params.get("membre", "")
        member_id = next(
            (
                m.pk
                for m in members_visible_to(request.user)
                if m.key == wanted or str(m.pk) == wanted
            ),
            None,
        )
        f = figures_for(request.user, start=start, end=end, member_id=member_id)
        return Response(
            {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "visits": f.visits,
                "active_accounts": f.visitors,
                "accounts": f.accounts,
                "activated": f.activated,
                "by_day": [{"day": d.isoformat(), "visits": v} for d, v in f.by_day],
                "by_service": [
                    {"service": s, "visits": v, "active_accounts": u} for s, v, u in f.by_service
                ],
                "by_school": [
                    {
                        "uai": r["school"].uai,
                        "visits": r["visits"],
                        "active_accounts": r["visitors"],
                        "accounts": r["accounts"],
                        "activated": r["activated"],
                    }
                    for r in f.by_school
                ],
            }
        )
