from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ostal.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from ostal.notifications import checks  # noqa: F401  (registers ostal.W030)
