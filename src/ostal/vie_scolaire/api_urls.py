"""API routes of vie scolaire, mounted under ``/api/v1/vie-scolaire/`` by ``ostal.api.urls``."""

from django.urls import path

from ostal.vie_scolaire import api

urlpatterns = [
    path("evenements/", api.EventsView.as_view(), name="vie-scolaire-events"),
    path("evenements/<id:pk>/", api.EventView.as_view(), name="vie-scolaire-event"),
    path(
        "evenements/<id:pk>/justifier/",
        api.JustifyView.as_view(),
        name="vie-scolaire-justify",
    ),
    path("motifs/", api.MotivesView.as_view(), name="vie-scolaire-motives"),
]
