from django.apps import AppConfig


class OidcConfig(AppConfig):
    name = "ostal.oidc"
    label = "oidc"
    verbose_name = "Fournisseur OpenID Connect"

    def ready(self) -> None:
        from ostal.oidc import checks  # noqa: F401 - registers the deployment check
