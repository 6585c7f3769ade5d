from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ostal.web"
    label = "web"
    verbose_name = "Interface web"
