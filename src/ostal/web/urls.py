from django.urls import path
from django.utils.translation import gettext_lazy as _

from ostal.directory.models import Profile
from ostal.web import views
from ostal.web.navigation import Service, register_service

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("etablissement/", views.school_detail, name="school"),
    path("classes/<id:class_id>/", views.class_detail, name="class"),
    path("compte/", views.account, name="account"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("contexte/etablissement/", views.switch_school, name="switch_school"),
    path("contexte/enfant/", views.switch_child, name="switch_child"),
]

register_service(Service("home", _("Accueil"), "web:home", lambda u: True, order=0))
register_service(
    Service(
        "school",
        _("Mon établissement"),
        "web:school",
        lambda u: u.profile not in {Profile.AUTHORITY_STAFF, Profile.GUEST},
        order=10,
    )
)
register_service(Service("account", _("Mon compte"), "web:account", lambda u: True, order=90))
