from django.apps import AppConfig


class VieScolaireConfig(AppConfig):
    name = "ostal.vie_scolaire"
    label = "vie_scolaire"
    verbose_name = "Vie scolaire"
