from django.urls import path
from django.utils.translation import gettext_lazy as _

from ostal.feed import views
from ostal.feed.selectors import may_read_imports
from ostal.web.navigation import Service, register_service

app_name = "feed"

urlpatterns = [
    path("", views.run_list, name="runs"),
    path("<id:run_id>/", views.run_detail, name="run"),
    path("lancer/", views.run_launch, name="launch"),
]

register_service(
    Service("feed", _("Imports de l'annuaire"), "feed:runs", may_read_imports, order=80)
)
