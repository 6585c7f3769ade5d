from django.apps import AppConfig


class HomeworkConfig(AppConfig):
    name = "ostal.homework"
    label = "homework"
    verbose_name = "Cahier de textes"
