from django.apps import AppConfig


class IfriConfig(AppConfig):
    """The project's shared web infrastructure."""

    name = "ifri"

    def ready(self):
        from . import database

        database.install()
