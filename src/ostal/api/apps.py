from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ostal.api"
    label = "api"
    verbose_name = "API"
