from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "chibo.petitions"
    label = "petitions"
    verbose_name = "Đề xuất, kiến nghị"
