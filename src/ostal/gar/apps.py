from django.apps import AppConfig


class GarConfig(AppConfig):
    name = "ostal.gar"
    label = "gar"
    verbose_name = "GAR (Gestionnaire d'accès aux ressources)"
