from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "ostal.news"
    label = "news"
    verbose_name = "Actualités"
