from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _

from ostal.directory.models import Profile
from ostal.documents import views, views_handin
from ostal.web.navigation import Service, register_service

app_name = "documents"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.root, name="root"),
    path("televerser/", views.upload, name="upload"),
    path("dossiers/", views.folder_create, name="folder_create"),
    path("dossiers/<id:pk>/", views.folder_view, name="folder"),
    path("dossiers/<id:pk>/<str:action>/", views.folder_action, name="folder_action"),
    path("fichiers/<id:pk>/", views.document_view, name="document"),
    path("fichiers/<id:pk>/telecharger/", views.download, name="download"),
    path("fichiers/<id:pk>/<str:action>/", views.document_action, name="document_action"),
    path("corbeille/", views.trash, name="trash"),
    path("corbeille/vider/", views.trash_empty, name="trash_empty"),
    path("depots/", views_handin.hand_in_list, name="hand_ins"),
    path("depots/<id:pk>/", views_handin.hand_in_view, name="hand_in"),
    path("depots/<id:pk>/rendre/", views_handin.hand_in_submit, name="hand_in_submit"),
    path("depots/<id:pk>/tout.zip", views_handin.hand_in_archive, name="hand_in_archive"),
    path("depots/fichiers/<id:pk>/", views_handin.hand_in_file, name="hand_in_file"),
]

register_service(
    Service(
        "documents",
        _("Documents"),
        "documents:root",
        lambda u: u.profile != Profile.GUEST,
        order=25,
    )
)
