from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _

from ostal.pilotage.views import consultations, convention, costs, deployment, orders, statistics
from ostal.web.navigation import Service, register_service
from ostal.web.shell import shell_roles

app_name = "pilotage"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", orders.home, name="home"),
    path("convention/", convention.convention_page, name="convention"),
    path(
        "convention/membres/<id:membership_id>/",
        convention.membership_account,
        name="membership_account",
    ),
    path(
        "convention/membres/<id:membership_id>/<slug:action>/",
        convention.membership_action,
        name="membership_action",
    ),
    path("convention/avenants/", convention.amendment_new, name="amendment_new"),
    path("convention/actes/<slug:action>/", convention.convention_action, name="convention_action"),
    path(
        "convention/avenants/<id:amendment_id>/<slug:action>/",
        convention.amendment_action,
        name="amendment_action",
    ),
    path("commandes/", orders.order_list, name="orders"),
    path("commandes/nouveau/", orders.order_new, name="order_new"),
    path("commandes/<id:order_id>/", orders.order_detail, name="order"),
    path("commandes/<id:order_id>/etat/", orders.order_transition, name="order_transition"),
    path("commandes/<id:order_id>/bon.pdf", orders.order_pdf, name="order_pdf"),
    path("deploiement/", deployment.deployment_dashboard, name="deployment"),
    path("consultations/", consultations.consultation_list, name="consultations"),
    path("consultations/nouvelle/", consultations.consultation_new, name="consultation_new"),
    path(
        "consultations/<id:consultation_id>/",
        consultations.consultation_detail,
        name="consultation",
    ),
    path(
        "consultations/<id:consultation_id>/validation/",
        consultations.consultation_validate,
        name="consultation_validate",
    ),
    path("couts/", costs.costs_page, name="costs"),
    path("couts/repartition/", costs.allocation_new, name="allocation_new"),
    path("couts/poids.csv", costs.costs_csv, name="costs_csv"),
    path("couts/couts.pdf", costs.costs_pdf, name="costs_pdf"),
    path("statistiques/", statistics.statistics_page, name="statistics"),
    path("statistiques/etablissements.csv", statistics.statistics_csv, name="statistics_csv"),
    path(
        "statistiques/mesure-audience.csv", statistics.national_audience_csv, name="statistics_dnma"
    ),
]


def _sees_pilotage(user: object) -> bool:
    """Menu entries: the request's roles (the pages ask ``has_pilotage_role``)."""
    return shell_roles(user).pilotage


register_service(
    Service("pilotage", _("Pilotage du groupement"), "pilotage:home", _sees_pilotage, order=70)
)
register_service(
    Service(
        "pilotage_deployment", _("Déploiement"), "pilotage:deployment", _sees_pilotage, order=71
    )
)
register_service(
    Service(
        "pilotage_statistics", _("Statistiques"), "pilotage:statistics", _sees_pilotage, order=72
    )
)
