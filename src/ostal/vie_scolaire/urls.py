from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _

from ostal.directory.models import Profile
from ostal.vie_scolaire import views
from ostal.web.navigation import Service, register_service

app_name = "vie_scolaire"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("appel/<id:course_id>/<str:day>/", views.roll_call, name="roll_call"),
    path("evenements/<id:pk>/justifier/", views.justify, name="justify"),
    path("justificatifs/<id:pk>/", views.decide, name="decide"),
    path("evenements/<id:pk>/", views.treat, name="treat"),
    path("motifs/", views.motives, name="motives"),
    path("motifs/<id:pk>/", views.motive_edit, name="motive_edit"),
]

VIE_SCOLAIRE_PROFILES = {
    Profile.PUPIL,
    Profile.RELATIVE,
    Profile.TEACHER,
    Profile.LIBRARIAN,
    Profile.SCHOOL_LIFE,
    Profile.DIRECTION,
}

register_service(
    Service(
        "vie_scolaire",
        _("Vie scolaire"),
        "vie_scolaire:index",
        lambda u: u.profile in VIE_SCOLAIRE_PROFILES,
        order=23,
    )
)
