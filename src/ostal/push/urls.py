"""Routes of the installable app (manifest, service worker at the site root, offline page)
and of the person's push devices (under ``/compte/``)."""

from django.urls import path

from ostal.push import views

app_name = "push"

urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("hors-ligne/", views.offline, name="offline"),
    path("compte/appareils-push/", views.devices, name="devices"),
    path("compte/appareils-push/<id:pk>/supprimer/", views.device_remove, name="device_remove"),
    path("compte/appareils-push/<id:pk>/essai/", views.device_test, name="device_test"),
]
