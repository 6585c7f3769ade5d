"""API routes of the espace documentaire, mounted under ``/api/v1/documents/``."""

from django.urls import path

from ostal.documents import api

urlpatterns = [
    path("", api.RootView.as_view(), name="documents-root"),
    path("dossiers/", api.FoldersView.as_view(), name="documents-folders"),
    path("dossiers/<id:pk>/", api.FolderView.as_view(), name="documents-folder"),
    path("fichiers/", api.UploadView.as_view(), name="documents-upload"),
    path("fichiers/<id:pk>/", api.DocumentView.as_view(), name="documents-document"),
    path("fichiers/<id:pk>/restaurer/", api.RestoreView.as_view(), name="documents-restore"),
    path("fichiers/<id:pk>/contenu/", api.DownloadView.as_view(), name="documents-download"),
    path("corbeille/", api.TrashView.as_view(), name="documents-trash"),
]
