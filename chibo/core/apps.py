from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chibo.core"
    label = "core"
    verbose_name = "Lõi"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from chibo.core.text import install_sqlite_functions

        connection_created.connect(install_sqlite_functions)
