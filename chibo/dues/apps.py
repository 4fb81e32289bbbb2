from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "chibo.dues"
    label = "dues"
    verbose_name = "Đảng phí"
