from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _

from ostal.agenda import views
from ostal.web.navigation import Service, register_service

app_name = "agenda"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.week, name="week"),
    path("mois/", views.month, name="month"),
    path("evenements/nouveau/", views.event_new, name="event_new"),
    path("evenements/<id:pk>/", views.event_detail, name="event"),
    path("evenements/<id:pk>/modifier/", views.event_edit, name="event_edit"),
    path("evenements/<id:pk>/supprimer/", views.event_delete, name="event_delete"),
    path("evenements/<id:pk>/retirer-date/", views.occurrence_skip, name="occurrence_skip"),
    path("evenements/<id:pk>/inviter/", views.invite, name="invite"),
    path("evenements/<id:pk>/reponse/", views.answer, name="answer"),
    path("agendas/", views.calendars, name="calendars"),
    path("importer/", views.import_page, name="import"),
    path("flux/<str:token>/<id:calendar_id>.ics", views.feed, name="feed"),
]

# Everyone has a personal agenda: the entry needs no query (shell pinned at ≤ 5 queries).
register_service(Service("agenda", _("Agenda"), "agenda:week", lambda u: True, order=24))
