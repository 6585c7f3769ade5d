from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "ostal.sso"
    label = "sso"
    verbose_name = "Authentification unique (CAS)"

    def ready(self) -> None:
        from ostal.sso import signals, tasks  # noqa: F401  (periodic tasks register on import)

        signals.connect()
