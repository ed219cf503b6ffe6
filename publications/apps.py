from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publications")

    def ready(self):
        from . import media, search
        from .caching import connect_signals

        connect_signals()
        search.connect_signals()
        media.connect_signals()
