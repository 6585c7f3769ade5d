from django.urls import path
from django.utils.translation import gettext_lazy as _

from ostal.gar import views
from ostal.web.navigation import Service, register_service
from ostal.web.shell import shell_roles

app_name = "gar"

urlpatterns = [
    path("etablissements/<id:school_id>/roles/", views.roles, name="roles"),
    path("roles/<id:appointment_id>/fin/", views.role_end, name="role_end"),
    path("exports/", views.runs, name="runs"),
    path("exports/<id:run_id>/", views.run_detail, name="run"),
]


def _reads_exports(user: object) -> bool:
    """Menu entry: the request's roles (the pages ask ``may_read_gar_exports``)."""
    roles = shell_roles(user)
    return roles.staff or roles.region_admin


register_service(Service("gar_exports", _("Exports GAR"), "gar:runs", _reads_exports, order=82))
