from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "ostal.messaging"
    label = "messaging"
    verbose_name = "Messagerie"
