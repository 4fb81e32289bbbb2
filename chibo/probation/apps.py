from django.apps import AppConfig


class ProbationConfig(AppConfig):
    name = "chibo.probation"
    label = "probation"
    verbose_name = "Đảng viên dự bị"
