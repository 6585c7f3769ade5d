from django.urls import path
from django.utils.translation import gettext_lazy as _

from ostal.feed import views
from ostal.web.navigation import Service, register_service
from ostal.web.shell import shell_roles

app_name = "feed"

urlpatterns = [
    path("", views.run_list, name="runs"),
    path("<id:run_id>/", views.run_detail, name="run"),
    path("lancer/", views.run_launch, name="launch"),
]

register_service(
    # the menu reads the request's roles; the pages ask may_read_imports
    Service(
        "feed",
        _("Imports de l'annuaire"),
        "feed:runs",
        lambda u: shell_roles(u).reads_imports,
        order=80,
    )
)
