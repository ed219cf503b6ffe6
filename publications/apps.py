from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publications")

    def ready(self):
        from . import media, revisions
        from .caching import connect_signals
        from .search import signals as search_signals

        connect_signals()
        search_signals.connect_signals()
        media.connect_signals()
        revisions.register_models()
