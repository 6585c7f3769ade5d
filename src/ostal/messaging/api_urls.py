"""API routes of the messagerie, mounted under ``/api/v1/messages/`` by ``ostal.api.urls``."""

from django.urls import path

from ostal.messaging import api

urlpatterns = [
    path("", api.InboxView.as_view(), name="messages-inbox"),
    path("envoyer/", api.SendView.as_view(), name="messages-send"),
    path("destinataires/", api.RecipientSearchView.as_view(), name="messages-recipients"),
    path("<int:pk>/", api.MessageView.as_view(), name="messages-detail"),
]
