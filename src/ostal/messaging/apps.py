from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MessagingConfig(AppConfig):
    name = "ostal.messaging"
    label = "messaging"
    verbose_name = "Messagerie"

    def ready(self) -> None:
        from ostal.messaging import retention  # noqa: F401 - deletes attachment files with their rows
        from ostal.messaging.search import ensure_sqlite_index

        def _ensure(using: str = "default", **kwargs: object) -> None:
            from django.db import connections

            ensure_sqlite_index(connections[using])

        # A later migration that alters messaging_message rebuilds the table on SQLite and
        # drops the search triggers: put them back after every migrate (ADR 0015).
        post_migrate.connect(_ensure, sender=self, weak=False, dispatch_uid="messaging-fts")
