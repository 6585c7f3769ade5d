"""API of the admin console, mounted under ``/api/v1/administration/``."""

from django.urls import path

from ostal.administration import api

urlpatterns = [
    path(
        "schools/<id:school_id>/accounts",
        api.SchoolAccountsView.as_view(),
        name="administration_accounts",
    ),
    path(
        "schools/<id:school_id>/accounts/<id:person_id>/unlock",
        api.AccountUnlockView.as_view(),
        name="administration_account_unlock",
    ),
]
