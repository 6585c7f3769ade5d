from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from ostal.accounts import api_life, api_security
from ostal.api import views
from ostal.notifications import api as notifications_api
from ostal.pilotage import api_urls as pilotage_api_urls

app_name = "api"

urlpatterns = [
    path("v1/me/", views.MeView.as_view(), name="me"),
    path("v1/pilotage/", pilotage_api_urls.included),
    *api_security.urlpatterns,
    *api_life.urlpatterns,
    *notifications_api.urlpatterns,
    path("v1/", include("ostal.timetable.api_urls")),
    path("v1/messages/", include("ostal.messaging.api_urls")),
    path("v1/administration/", include("ostal.administration.api_urls")),
    path("v1/news/", include("ostal.news.api_urls")),
    path("v1/push/", include("ostal.push.api_urls")),
    path("v1/agenda/", include("ostal.agenda.api_urls")),
    path("v1/evaluation/", include("ostal.evaluation.api")),
    path("v1/vie-scolaire/", include("ostal.vie_scolaire.api_urls")),
    path("v1/documents/", include("ostal.documents.api_urls")),
    path("v1/gar/", include("ostal.gar.api_urls")),
]

schema_urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
]
