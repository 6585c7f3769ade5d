from django.contrib import admin
from django.urls import include, path

from ostal.api.urls import schema_urlpatterns
from ostal.core.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("comptes/", include("ostal.accounts.urls")),
    path("api/", include("ostal.api.urls")),
    path("annuaire/imports/", include("ostal.feed.urls")),
    path("cas/", include("ostal.sso.urls")),
    path("saml2/", include("ostal.federation.urls")),
    path("o/", include("ostal.oidc.urls")),
    path("pilotage/", include("ostal.pilotage.urls")),
    path("emploi-du-temps/", include("ostal.timetable.urls")),
    path("cahier-de-textes/", include("ostal.homework.urls")),
    path("messagerie/", include("ostal.messaging.urls")),
    path("compte/notifications/", include("ostal.notifications.urls")),
    path("administration/", include("ostal.administration.urls")),
    path("rgpd/", include("ostal.administration.urls_rgpd")),
    path("actualites/", include("ostal.news.urls")),
    path("", include("ostal.push.urls")),
    path("agenda/", include("ostal.agenda.urls")),
    path("notes/", include("ostal.evaluation.urls")),
    path("vie-scolaire/", include("ostal.vie_scolaire.urls")),
    path("documents/", include("ostal.documents.urls")),
    path("gar/", include("ostal.gar.urls")),
    *schema_urlpatterns,
    path("", include("ostal.web.urls")),
]

handler400 = "ostal.web.views.error_400"
handler403 = "ostal.web.views.error_403"
handler404 = "ostal.web.views.error_404"
