from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _

from ostal.homework import views
from ostal.timetable.urls import SCHOOL_DAY_PROFILES
from ostal.web.navigation import Service, register_service

app_name = "homework"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("seance/<id:course_id>/<str:day>/", views.from_slot, name="from_slot"),
    path("seances/<id:pk>/", views.edit, name="edit"),
    path("seances/<id:pk>/copier/", views.copy, name="copy"),
    path("travail/<id:pk>/fait/", views.done, name="done"),
    path("travail/<id:pk>/rendre/", views.submit, name="submit"),
    path("pieces-jointes/<id:pk>/", views.attachment, name="attachment"),
    path("classe/<id:pk>/charge/", views.load, name="load"),
    path("<str:kind>/<id:pk>/", views.audience_view, name="audience"),
    path("<str:kind>/<id:pk>/archive.pdf", views.archive, name="archive"),
]

register_service(
    Service(
        "homework",
        _("Cahier de textes"),
        "homework:index",
        lambda u: u.profile in SCHOOL_DAY_PROFILES,
        order=21,
    )
)
