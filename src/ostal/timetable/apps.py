from django.apps import AppConfig


class TimetableConfig(AppConfig):
    name = "ostal.timetable"
    label = "timetable"
    verbose_name = "Emploi du temps"
