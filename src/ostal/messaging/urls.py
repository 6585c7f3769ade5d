from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _

from ostal.directory.models import Profile
from ostal.messaging import views, views_search
from ostal.web.navigation import Service, register_service

app_name = "messaging"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.inbox, name="inbox"),
    path("envoyes/", views.sent, name="sent"),
    path("brouillons/", views.drafts, name="drafts"),
    path("brouillons/<id:pk>/supprimer/", views.draft_delete, name="draft_delete"),
    path("corbeille/", views.trash, name="trash"),
    path("corbeille/vider/", views.trash_empty, name="trash_empty"),
    path("dossiers/", views.folder_create, name="folder_create"),
    path("dossiers/<id:pk>/", views.folder_view, name="folder"),
    path("dossiers/<id:pk>/renommer/", views.folder_rename, name="folder_rename"),
    path("dossiers/<id:pk>/supprimer/", views.folder_delete, name="folder_delete"),
    path("ecrire/", views.compose, name="compose"),
    path("message/<id:pk>/", views.message_view, name="message"),
    path("message/<id:pk>/corbeille/", views.message_trash, name="message_trash"),
    path("message/<id:pk>/restaurer/", views.message_restore, name="message_restore"),
    path("message/<id:pk>/ranger/", views.message_move, name="message_move"),
    path("message/<id:pk>/signaler/", views.message_report, name="message_report"),
    path("message/<id:pk>/rappeler/", views.message_recall, name="message_recall"),
    path("piece-jointe/<id:pk>/", views.attachment, name="attachment"),
    path("regles/", views.rules_page, name="rules"),
    path("gel/", views.freeze_page, name="freeze"),
    path("recherche/", views_search.search, name="search"),
]

register_service(
    Service(
        "messaging",
        _("Messagerie"),
        "messaging:inbox",
        lambda u: u.profile != Profile.GUEST,
        order=15,
    )
)
