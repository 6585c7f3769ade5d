"""The admin console (« Administration »), mounted under ``/administration/``."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from ostal.administration import views
from ostal.web.navigation import Service, register_service
from ostal.web.shell import shell_roles

app_name = "administration"

urlpatterns = [
    path("", views.index, name="index"),
    path("etablissement/<id:school_id>/", views.school, name="school"),
    path("etablissement/<id:school_id>/comptes/", views.accounts, name="accounts"),
    path("etablissement/<id:school_id>/comptes/<id:person_id>/", views.account, name="account"),
    path(
        "etablissement/<id:school_id>/comptes/<id:person_id>/deverrouiller/",
        views.account_unlock,
        name="account_unlock",
    ),
]

register_service(
    Service(
        "administration",
        _("Administration"),
        "administration:index",
        # the menu reads the request's roles (no query); the pages ask school_for_admin
        lambda u: shell_roles(u).school_admin,
        order=79,
    )
)
