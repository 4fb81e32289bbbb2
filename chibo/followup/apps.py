from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "chibo.followup"
    label = "followup"
    verbose_name = "Thống kê theo dõi sau sinh hoạt"
