from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "ostal.evaluation"
    label = "evaluation"
    verbose_name = "Notes et évaluations"
