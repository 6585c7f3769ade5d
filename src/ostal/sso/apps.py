from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "ostal.sso"
    label = "sso"
    verbose_name = "Authentification unique (CAS)"
