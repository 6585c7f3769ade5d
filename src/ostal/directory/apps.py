from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "ostal.directory"
    label = "directory"
    verbose_name = "Annuaire"
