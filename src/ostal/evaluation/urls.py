from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _

from ostal.directory.models import Profile
from ostal.evaluation import views
from ostal.web.navigation import Service, register_service

app_name = "evaluation"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("services/<id:pk>/", views.service, name="service"),
    path("services/<id:pk>/nouvelle/", views.evaluation_new, name="new"),
    path("evaluations/<id:pk>/", views.grid, name="grid"),
    path("evaluations/<id:pk>/modifier/", views.evaluation_edit, name="edit"),
    path("evaluations/<id:pk>/publication/", views.publish, name="publish"),
    path("classes/<id:pk>/", views.class_view, name="class"),
    path("classes/<id:pk>/verrou/", views.lock, name="lock"),
    path("etablissements/<id:pk>/periodes/", views.periods, name="periods"),
]

#: Who has marks to read or set (the menu entry reads only the profile: no query).
MARKS_PROFILES = {
    Profile.PUPIL,
    Profile.RELATIVE,
    Profile.TEACHER,
    Profile.DIRECTION,
    Profile.SCHOOL_LIFE,
}

register_service(
    Service(
        "evaluation",
        _("Notes"),
        "evaluation:index",
        lambda u: u.profile in MARKS_PROFILES,
        order=22,
    )
)
