from django.db import migrations, models


def accepted_charters_are_version_1(apps, schema_editor):
    """Charters accepted before versions existed were version 1."""
    Person = apps.get_model("directory", "Person")
    Person.objects.filter(charter_accepted_at__isnull=False).update(charter_version=1)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_person_mef"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="charter_version",
            field=models.PositiveSmallIntegerField(
                default=0, db_default=0, verbose_name="version de la charte acceptée"
            ),
        ),
        migrations.RunPython(accepted_charters_are_version_1, migrations.RunPython.noop),
    ]
