"""API routes of the GAR, mounted under ``/api/v1/gar/`` by ``ostal.api.urls``."""

from django.urls import path

from ostal.gar import api

urlpatterns = [
    path("etablissements/<id:school_id>/roles/", api.SchoolRolesView.as_view(), name="gar-roles"),
    path("roles/<id:appointment_id>/fin/", api.RoleEndView.as_view(), name="gar-role-end"),
    path("exports/", api.ExportRunsView.as_view(), name="gar-exports"),
]
