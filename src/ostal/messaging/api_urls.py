"""API routes of the messagerie, mounted under ``/api/v1/messages/`` by ``ostal.api.urls``
(the table is in ``docs/messaging.md``)."""

from django.urls import path

from ostal.messaging import api, api_drafts, api_search

urlpatterns = [
    path("", api.InboxView.as_view(), name="messages-inbox"),
    path("envoyes/", api.SentView.as_view(), name="messages-sent"),
    path("corbeille/", api.TrashView.as_view(), name="messages-trash"),
    path("corbeille/vider/", api.TrashEmptyView.as_view(), name="messages-trash-empty"),
    path("quota/", api.QuotaView.as_view(), name="messages-quota"),
    path("dossiers/", api.FoldersView.as_view(), name="messages-folders"),
    path("dossiers/<id:pk>/", api.FolderView.as_view(), name="messages-folder"),
    path("envoyer/", api.SendView.as_view(), name="messages-send"),
    path("destinataires/", api.RecipientSearchView.as_view(), name="messages-recipients"),
    path("recherche/", api_search.SearchView.as_view(), name="messages-search"),
    path("pieces-jointes/<id:pk>/", api.AttachmentView.as_view(), name="messages-attachment"),
    path("brouillons/", api_drafts.DraftsView.as_view(), name="messages-drafts"),
    path("brouillons/<id:pk>/", api_drafts.DraftView.as_view(), name="messages-draft"),
    path(
        "brouillons/<id:pk>/envoyer/",
        api_drafts.DraftSendView.as_view(),
        name="messages-draft-send",
    ),
    path(
        "brouillons/<id:pk>/pieces-jointes/",
        api_drafts.DraftAttachmentsView.as_view(),
        name="messages-draft-attach",
    ),
    path(
        "brouillons/<id:pk>/pieces-jointes/<id:attachment_pk>/",
        api_drafts.DraftAttachmentView.as_view(),
        name="messages-draft-detach",
    ),
    path("<id:pk>/", api.MessageView.as_view(), name="messages-detail"),
    path("<id:pk>/corbeille/", api.MessageTrashView.as_view(), name="messages-message-trash"),
    path("<id:pk>/restaurer/", api.MessageRestoreView.as_view(), name="messages-restore"),
    path("<id:pk>/ranger/", api.MessageMoveView.as_view(), name="messages-move"),
    path("<id:pk>/signaler/", api.MessageReportView.as_view(), name="messages-report"),
    path("<id:pk>/rappeler/", api.MessageRecallView.as_view(), name="messages-recall"),
    path("<id:pk>/repondre/", api_drafts.ReplyView.as_view(), name="messages-reply"),
    path("<id:pk>/repondre-a-tous/", api_drafts.ReplyAllView.as_view(), name="messages-reply-all"),
    path("<id:pk>/transferer/", api_drafts.ForwardView.as_view(), name="messages-forward"),
]
