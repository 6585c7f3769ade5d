"""API routes of the agenda, mounted under ``/api/v1/agenda/`` by ``ostal.api.urls``."""

from django.urls import path

from ostal.agenda import api

urlpatterns = [
    path("", api.AgendaRangeView.as_view(), name="agenda-range"),
    path("evenements/", api.EventCreateView.as_view(), name="agenda-event-create"),
    path("evenements/<id:pk>/reponse/", api.AnswerView.as_view(), name="agenda-answer"),
]
