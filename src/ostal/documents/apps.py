from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "ostal.documents"
    label = "documents"
    verbose_name = "Documents"
