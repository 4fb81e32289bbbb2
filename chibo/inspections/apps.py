from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "chibo.inspections"
    label = "inspections"
    verbose_name = "Kiểm tra, giám sát"

    def ready(self) -> None:
        from chibo.inspections.services import follow_task, follow_task_edit
        from chibo.tasks.signals import edited, status_changed

        # A follow-up tracked as a member task follows the task's status (services.follow_task).
        status_changed.connect(lambda sender, **kwargs: follow_task(**kwargs), weak=False, dispatch_uid="inspections.follow_task")
        # ... and its due date, when the task's is moved (services.follow_task_edit).
        edited.connect(lambda sender, **kwargs: follow_task_edit(**kwargs), weak=False, dispatch_uid="inspections.follow_task_edit")
