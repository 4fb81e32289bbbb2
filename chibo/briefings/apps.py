from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "chibo.briefings"
    label = "briefings"
    verbose_name = "Giao ban"
