from django.apps import AppConfig


class PilotageConfig(AppConfig):
    name = "ostal.pilotage"
    label = "pilotage"
    verbose_name = "Pilotage du groupement"
