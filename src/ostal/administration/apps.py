from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "ostal.administration"
    label = "administration"
    verbose_name = "Administration"
