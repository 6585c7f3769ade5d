from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ostal.core"
    label = "core"
    verbose_name = "Noyau"

    def ready(self) -> None:
        from django.urls import register_converter

        from ostal.core import checks  # noqa: F401 - registers the deployment checks
        from ostal.core.params import IdConverter

        register_converter(IdConverter, "id")
