"""Pages of the notifications, mounted under ``/compte/notifications/`` (next to the
account page, ``/compte/``)."""

from django.urls import path

from ostal.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.preferences, name="preferences"),
]
