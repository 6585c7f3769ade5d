"""The RGPD pages, mounted under ``/rgpd/`` (public, exempt from the login steps and the
deployment gate like ``/accessibilite/``)."""

from django.urls import path

from ostal.administration import views_rgpd

app_name = "rgpd"

urlpatterns = [
    path("", views_rgpd.index, name="index"),
    path("traitements/<slug:key>/", views_rgpd.processing, name="processing"),
    path("mentions-legales/", views_rgpd.legal, name="legal"),
    path("cookies/", views_rgpd.cookies, name="cookies"),
]
