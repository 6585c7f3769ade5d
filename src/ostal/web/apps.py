from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ostal.web"
    label = "web"
    verbose_name = "Interface web"

    def ready(self) -> None:
        from ostal.web.shell import connect_signals

        connect_signals()
