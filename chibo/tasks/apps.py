from django.apps import AppConfig


class MemberTasksConfig(AppConfig):
    # The label is not "tasks": that name belongs to the job-queue package (django-tasks).
    name = "chibo.tasks"
    label = "membertasks"
    verbose_name = "Phân công nhiệm vụ"
