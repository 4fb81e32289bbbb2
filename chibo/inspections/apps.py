from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "chibo.inspections"
    label = "inspections"
    verbose_name = "Kiểm tra, giám sát"
