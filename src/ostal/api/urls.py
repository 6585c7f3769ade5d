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
    path("v1/gar/", include("ostal.gar.api_urls")),
]

schema_urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
]
