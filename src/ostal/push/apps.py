from django.apps import AppConfig


class PushConfig(AppConfig):
    name = "ostal.push"
    label = "push"
    verbose_name = "Application installable et notifications push"

    def ready(self) -> None:
        from ostal.notifications.channels import register_channel
        from ostal.push.services import push_channel

        register_channel("push", push_channel)
