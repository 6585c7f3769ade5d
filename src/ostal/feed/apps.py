from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "ostal.feed"
    label = "feed"
    verbose_name = "Alimentation de l'annuaire"
