from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "ostal.territory"
    label = "territory"
    verbose_name = "Territoire"
