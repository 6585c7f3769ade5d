from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _

from ostal.directory.models import Profile
from ostal.timetable import views
from ostal.web.navigation import Service, register_service

app_name = "timetable"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.week, name="week"),
    path("jour/", views.day, name="day"),
    path("famille/", views.family, name="family"),
    path("import/", views.import_page, name="import"),
    path("cours/", views.courses, name="courses"),
    path("cours/<id:course_id>/modifier/", views.course_change, name="change"),
    path("avis/lus/", views.notices_read, name="notices_read"),
    path("agenda/", views.calendar_settings, name="calendar"),
    path("agenda/<str:token>.ics", views.feed, name="feed"),
]

SCHOOL_DAY_PROFILES = {
    Profile.PUPIL,
    Profile.RELATIVE,
    Profile.TEACHER,
    Profile.LIBRARIAN,
    Profile.DIRECTION,
    Profile.SCHOOL_LIFE,
    Profile.ADMIN_STAFF,
}

register_service(
    Service(
        "timetable",
        _("Emploi du temps"),
        "timetable:week",
        lambda u: u.profile in SCHOOL_DAY_PROFILES,
        order=20,
    )
)
