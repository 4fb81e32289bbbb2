from django.apps import AppConfig


class DisciplineConfig(AppConfig):
    name = "chibo.discipline"
    label = "discipline"
    verbose_name = "Miễn sinh hoạt, xóa tên, kỷ luật"
