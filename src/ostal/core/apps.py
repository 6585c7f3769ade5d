from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ostal.core"
    label = "core"
    verbose_name = "Noyau"
