"""Full-text search of messages (ADR 0015): ``Message.search_text``, filled for the
existing messages; on PostgreSQL the ``unaccent`` extension, the ``ostal_fr`` text search
configuration and a GIN index; on SQLite the FTS5 table ``messaging_message_fts`` and its
triggers. See ``ostal.messaging.search``.

The extension is created by ``search.PG_SETUP`` rather than ``UnaccentExtension``: that
operation's reverse queries ``pg_extension`` on any database and fails on SQLite."""

from django.db import migrations, models

from ostal.messaging import search
from ostal.messaging.models import message_search_text


def fill_search_text(apps, schema_editor):
    Message = apps.get_model("messaging", "Message")
    batch = []
    for message in Message.objects.only("pk", "subject", "body").iterator(chunk_size=2000):
        message.search_text = message_search_text(message.subject, message.body)
        batch.append(message)
        if len(batch) >= 2000:
            Message.objects.bulk_update(batch, ["search_text"])
            batch = []
    Message.objects.bulk_update(batch, ["search_text"])


def index_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = []
    if vendor == "postgresql":
        statements = search.PG_SETUP
    elif vendor == "sqlite":
        statements = [*search.SQLITE_SETUP, search.SQLITE_REBUILD]
    for statement in statements:
        schema_editor.execute(statement)


def index_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = []
    if vendor == "postgresql":
        statements = search.PG_TEARDOWN
    elif vendor == "sqlite":
        statements = search.SQLITE_TEARDOWN
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="message",
            name="search_text",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="texte indexé"
            ),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(index_create, index_drop),
    ]
