"""``/api/v1/pilotage/`` (mounted from ``ostal.api.urls``)."""

from django.urls import path

from ostal.pilotage import api

app_name = "pilotage_api"

urlpatterns = [
    path("orders/", api.OrderListView.as_view(), name="orders"),
    path("orders/<id:order_id>/", api.OrderDetailView.as_view(), name="order"),
    path(
        "orders/<id:order_id>/transition/",
        api.OrderTransitionView.as_view(),
        name="order_transition",
    ),
    path("deployment/", api.DeploymentView.as_view(), name="deployment"),
    path("statistics/", api.StatisticsView.as_view(), name="statistics"),
]

#: What ``path()`` accepts in place of ``include()``: (patterns, app name, namespace).
included = (urlpatterns, app_name, app_name)
