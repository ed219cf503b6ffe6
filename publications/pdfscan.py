"""What a PDF holds that a reader's viewer could run or open, found without
running it: scripts (JavaScript, XFA form scripts, ``javascript:`` links),
actions that launch programs or send, load or open files by themselves, rich
media and attached files; and whether the file starts as a PDF at all.

Runs in the checking child process of ``publications.pdfcheck``, under its
limits; nothing here imports Django.
"""

import re

from pypdf import PdfReader
from pypdf.errors import LimitReachedError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    StreamObject,
)

# Dictionary entries and array items the active-content walk may visit. A
# 2,000-page report has a few hundred thousand; more means a crafted file.
MAX_GRAPH_ITEMS = 3_000_000

PDF_SIGNATURE = b"%PDF-"
# What may come before the signature. A file that starts as something else,
# such as an HTML page carrying a PDF further on, is what a browser sniffing
# the content would run as a page.
LEADING_WHITESPACE = b" \t\r\n\f"
# Bytes read to find the signature.
HEAD_SIZE = 1024

# Refusals, most serious first; publications.documents.MESSAGES words them.
ACTIVE_CONTENT = (
    "pdf_javascript",
    "pdf_form_script",
    "pdf_launch",
    "pdf_automatic_action",
    "pdf_rich_media",
    "pdf_embedded_file",
)
# Actions refused wherever they are, even behind a link the reader clicks.
ACTION_TYPES = {
    "/JavaScript": "pdf_javascript",
    "/Launch": "pdf_launch",
    "/GoToE": "pdf_embedded_file",  # go to a document embedded in this one
    "/RichMediaExecute": "pdf_rich_media",
}
# Actions refused when they run without the reader asking: the document's
# /OpenAction and the additional actions (/AA) of the catalog, pages,
# annotations and form fields (page opened, document printed or closed, field
# changed...). A link to another document is fine; sending form data,
# importing data or opening another file unasked is not.
AUTOMATIC_ACTION_TYPES = {
    "/SubmitForm": "pdf_automatic_action",
    "/ImportData": "pdf_automatic_action",
    "/GoToR": "pdf_automatic_action",
}
# Actions followed from one trigger through /Next chains; more means a
# crafted file.
MAX_CHAINED_ACTIONS = 10_000
# A script element of an XFA form, namespace prefix or not (<script>,
# <xfa:script ...>): JavaScript or FormCalc run by the viewer.
XFA_SCRIPT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?script[\s>/]", re.IGNORECASE)
# Removed by browsers from a URL before they read its scheme ("java\tscript:").
URL_IGNORED = re.compile(r"[\x00-\x20\x7f]+")


class Refused(Exception):
    """The file is refused; ``codes`` name the reasons (keys of MESSAGES)."""

    def __init__(self, *codes: str, **params):
        super().__init__(*codes)
        self.codes = list(codes)
        self.params = params


def starts_like_pdf(head: bytes) -> bool:
    """The file's first bytes are the PDF signature, after optional whitespace."""
    return head.lstrip(LEADING_WHITESPACE).startswith(PDF_SIGNATURE)


def active_content(reader: PdfReader) -> list[str]:
    """What the file holds that a PDF viewer could run or open.

    Walks every object reachable from the trailer, without recursion (a deep
    file cannot exhaust the stack here) and visiting each indirect object
    once (reference loops end). Stream data is not decoded, but for XFA
    forms: actions and file attachments live in dictionaries. JavaScript
    hides in the /JavaScript name tree, /OpenAction, additional actions (/AA)
    of pages, annotations and form fields, link annotations' /A (also as a
    ``javascript:`` URI) and outline items, all of which are action
    dictionaries (/S /JavaScript, /JS) reached by the walk; scripts of XFA
    forms in the form's XML.
    """
    found = set()
    seen = set()
    stack = [reader.trailer]
    items = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = _resolve(obj)
        if isinstance(obj, DictionaryObject):
            items += len(obj)
            found.update(_dictionary_findings(obj))
            stack.extend(dict.values(obj))
        elif isinstance(obj, ArrayObject):
            items += len(obj)
            stack.extend(list.__iter__(obj))
        if items > MAX_GRAPH_ITEMS:
            raise Refused("pdf_too_complex")
    return [code for code in ACTIVE_CONTENT if code in found]


def _resolve(obj):
    try:
        return obj.get_object()
    except (RecursionError, MemoryError, LimitReachedError):
        raise
    except Exception as exc:
        # An object viewers may repair and read while we cannot: refuse
        # rather than pass something unchecked.
        raise Refused("pdf_unreadable") from exc


def _dictionary_findings(obj: DictionaryObject) -> set[str]:
    found = set()
    # /JS: the script of an action; /JavaScript: the document-level name tree.
    if "/JS" in obj or "/JavaScript" in obj:
        found.add("pdf_javascript")
    action = _direct(dict.get(obj, "/S"))
    if isinstance(action, str) and action in ACTION_TYPES:
        found.add(ACTION_TYPES[action])
    if action == "/URI" and _is_javascript_url(_direct(dict.get(obj, "/URI"))):
        found.add("pdf_javascript")
    found.update(_automatic_action_findings(obj))
    if "/XFA" in obj and _xfa_has_scripts(_direct(dict.get(obj, "/XFA"))):
        found.add("pdf_form_script")
    # /EmbeddedFiles: the name tree of attachments; /EF: a file specification
    # carrying the file itself; file attachment annotations and the streams.
    if "/EmbeddedFiles" in obj or "/EF" in obj:
        found.add("pdf_embedded_file")
    if dict.get(obj, "/Subtype") == "/FileAttachment":
        found.add("pdf_embedded_file")
    if dict.get(obj, "/Type") == "/EmbeddedFile":
        found.add("pdf_embedded_file")
    # Flash, video or 3D content with its own player and scripts.
    if dict.get(obj, "/Subtype") == "/RichMedia":
        found.add("pdf_rich_media")
    return found


def _direct(value):
    return _resolve(value) if isinstance(value, IndirectObject) else value


def _is_javascript_url(value) -> bool:
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return False
    return URL_IGNORED.sub("", value).lower().startswith("javascript:")


def _automatic_action_findings(obj: DictionaryObject) -> set[str]:
    """Refusals for the actions run by /OpenAction and /AA triggers of ``obj``,
    and the actions chained after them (/Next)."""
    stack = []
    if "/OpenAction" in obj:
        stack.append(dict.get(obj, "/OpenAction"))
    triggers = _direct(dict.get(obj, "/AA"))
    if isinstance(triggers, DictionaryObject):
        stack.extend(dict.values(triggers))
    found, seen, steps = set(), set(), 0
    while stack:
        steps += 1
        if steps > MAX_CHAINED_ACTIONS:
            raise Refused("pdf_too_complex")
        action = stack.pop()
        if isinstance(action, IndirectObject):
            key = (action.idnum, action.generation)
            if key in seen:
                continue
            seen.add(key)
            action = _resolve(action)
        if isinstance(action, ArrayObject):  # /Next may list several actions
            stack.extend(list.__iter__(action))
        elif isinstance(action, DictionaryObject):
            kind = _direct(dict.get(action, "/S"))
            if isinstance(kind, str) and kind in AUTOMATIC_ACTION_TYPES:
                found.add(AUTOMATIC_ACTION_TYPES[kind])
            if "/Next" in action:
                stack.append(dict.get(action, "/Next"))
    return found


def _xfa_has_scripts(xfa) -> bool:
    """An XFA form is one XML stream or an array of (name, stream) packets."""
    if isinstance(xfa, StreamObject):
        packets = [xfa]
    elif isinstance(xfa, ArrayObject):
        packets = [_direct(item) for item in list.__iter__(xfa)]
    else:
        return False
    for packet in packets:
        if not isinstance(packet, StreamObject):
            continue
        try:
            data = packet.get_data()
        except (RecursionError, MemoryError, LimitReachedError):
            raise
        except Exception as exc:  # a form we cannot read is not passed unread
            raise Refused("pdf_unreadable") from exc
        if XFA_SCRIPT.search(data):
            return True
    return False
