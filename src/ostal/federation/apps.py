from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "ostal.federation"
    label = "federation"
    verbose_name = "Fédération d'identité (EduConnect, portails académiques)"

    def ready(self) -> None:
        from ostal.federation import checks  # noqa: F401  (registers ostal.W010)
