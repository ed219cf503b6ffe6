"""The publications app's models, a module per job.

Other code imports them from here, and migrations refer to
``publications.models.private_storage``: every name stays importable from
this package whatever module defines it.
"""

from ..choices import CitationType, Language, Role, Status
from .credits import Authorship
from .pdf_versions import PdfVersion, PublicationMissingPdf
from .publication import Publication, private_storage
from .related_links import RelatedLink
from .tags import TaggedPublication
from .types import PublicationType
from .workflow import WorkflowEvent

# isort: split
# The search models live with search; imported here, the app registry finds
# them in this app. Last: they import Language and Publication from here.
from ..search.models import (
    SearchDocument,
    SearchQueryStat,
    SearchReview,
    SearchSuggestion,
    SearchTerm,
)

__all__ = [
    "Authorship",
    "CitationType",
    "Language",
    "PdfVersion",
    "Publication",
    "PublicationMissingPdf",
    "PublicationType",
    "RelatedLink",
    "Role",
    "SearchDocument",
    "SearchQueryStat",
    "SearchReview",
    "SearchSuggestion",
    "SearchTerm",
    "Status",
    "TaggedPublication",
    "WorkflowEvent",
    "private_storage",
]
