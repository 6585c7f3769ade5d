"""API routes of the school day, mounted under ``/api/v1/`` by ``ostal.api.urls``."""

from django.urls import path

from ostal.timetable import api

urlpatterns = [
    path("emploi-du-temps/semaine/", api.WeekView.as_view(), name="timetable-week"),
    path(
        "cahier-de-textes/<str:kind>/<id:pk>/seances/",
        api.AudienceLessonsView.as_view(),
        name="homework-lessons",
    ),
    path("cahier-de-textes/seances/", api.LessonCreateView.as_view(), name="homework-create"),
    path(
        "cahier-de-textes/seances/<id:pk>/", api.LessonUpdateView.as_view(), name="homework-update"
    ),
    path(
        "cahier-de-textes/travail/<id:pk>/fait/",
        api.HomeworkDoneView.as_view(),
        name="homework-done",
    ),
]
