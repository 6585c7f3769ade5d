from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ostal.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def ready(self) -> None:
        from ostal.accounts import signals  # noqa: F401 - connects the security-event receivers
