from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "ostal.agenda"
    label = "agenda"
    verbose_name = "Agenda"
