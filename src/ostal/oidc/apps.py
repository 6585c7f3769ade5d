from django.apps import AppConfig


class OidcConfig(AppConfig):
    name = "ostal.oidc"
    label = "oidc"
    verbose_name = "Fournisseur OpenID Connect"
