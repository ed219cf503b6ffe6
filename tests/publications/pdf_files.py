"""PDF files for the upload tests: real ones drawn with reportlab, changed with
pypdf's writer, and hand-written ones for what no writer would produce."""

import io
import zlib

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from pypdf.xmp import XmpInformation
from reportlab.pdfgen import canvas

from ..helpers import make_image_bytes


def text_pdf(
    pages: int = 2,
    words: str = "Energy security in Europe",
    title: str | None = None,
    language: str | None = None,
) -> bytes:
    """A PDF with a line of real text on each page, read back by extraction."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    if title:
        pdf.setTitle(title)
    for number in range(1, pages + 1):
        pdf.drawString(72, 720, f"{words}, page {number}")
        pdf.showPage()
    pdf.save()
    if language is None:
        return buffer.getvalue()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    writer.root_object[NameObject("/Lang")] = TextStringObject(language)
    return written(writer)


def written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _writer(pages: int = 1) -> PdfWriter:
    return PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(pages))))


def _javascript(code: str = "app.alert('hello')") -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(code),
        }
    )


def encrypted_pdf() -> bytes:
    writer = _writer()
    writer.encrypt("secret", algorithm="AES-256")
    return written(writer)


def open_action_javascript_pdf() -> bytes:
    writer = _writer()
    writer.root_object[NameObject("/OpenAction")] = _javascript()
    return written(writer)


def names_javascript_pdf() -> bytes:
    """Document-level JavaScript: the /JavaScript tree in the catalog's /Names."""
    writer = _writer()
    tree = DictionaryObject(
        {
            NameObject("/Names"): ArrayObject(
                [TextStringObject("greeting"), writer._add_object(_javascript())]
            )
        }
    )
    writer.root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)}
    )
    return written(writer)


def page_additional_action_javascript_pdf() -> bytes:
    """JavaScript run when the second page opens (/AA /O), in an indirect object."""
    writer = _writer(pages=2)
    action = writer._add_object(_javascript())
    writer.pages[1][NameObject("/AA")] = DictionaryObject({NameObject("/O"): action})
    return written(writer)


def link_javascript_pdf() -> bytes:
    """A link annotation whose action (/A) runs JavaScript."""
    writer = _writer()
    link = Link(rect=(50, 50, 200, 80), url="https://example.org/")
    link[NameObject("/A")] = _javascript()
    writer.add_annotation(page_number=0, annotation=link)
    return written(writer)


def form_field_javascript_pdf() -> bytes:
    """A form field that validates its value with JavaScript (/AA /V)."""
    writer = _writer()
    field = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject("amount"),
            NameObject("/AA"): DictionaryObject({NameObject("/V"): _javascript()}),
        }
    )
    reference = writer._add_object(field)
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([reference])}
    )
    return written(writer)


def launch_pdf() -> bytes:
    writer = _writer()
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("calc.exe"),
        }
    )
    return written(writer)


def attachment_pdf() -> bytes:
    writer = _writer()
    writer.add_attachment("notes.txt", b"Attached notes")
    return written(writer)


def file_attachment_annotation_pdf() -> bytes:
    """A file attached to a page through an annotation, not the name tree."""
    writer = _writer()
    stream = writer._add_object(
        _stream(b"a,b\n1,2\n", {NameObject("/Type"): NameObject("/EmbeddedFile")})
    )
    spec = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Filespec"),
            NameObject("/F"): TextStringObject("data.csv"),
            NameObject("/EF"): DictionaryObject({NameObject("/F"): stream}),
        }
    )
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FileAttachment"),
            NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (0, 0, 9, 9)]),
            NameObject("/FS"): spec,
        }
    )
    writer.add_annotation(page_number=0, annotation=annotation)
    return written(writer)


def _stream(data: bytes, entries: dict) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    stream.update(entries)
    return stream


def truncated_pdf() -> bytes:
    data = text_pdf(3)
    return data[: len(data) // 2]


def html_named_pdf() -> bytes:
    return b"<!doctype html><html><body><h1>Report</h1></body></html>"


def png_named_pdf() -> bytes:
    return make_image_bytes("PNG")


# Hand-written files ----------------------------------------------------------


def raw_pdf(objects: dict[int, bytes]) -> bytes:
    """A PDF from numbered object bodies, with a correct cross-reference table.

    Object 1 is the catalog.
    """
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        if number in offsets:
            out += b"%010d 00000 n \n" % offsets[number]
        else:
            out += b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        xref,
    )
    return bytes(out)


def one_page(catalog: bytes = b"", content: bytes = b"", **more: bytes) -> bytes:
    """A one-page document; ``catalog`` adds entries, ``more`` adds objects
    named ``o6``, ``o7``... (numbers 6 and up)."""
    content = content or b"BT /F1 12 Tf 72 720 Td (Hand-written page) Tj ET"
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        4: b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    for name, body in more.items():
        objects[int(name[1:])] = body
    return raw_pdf(objects)


def escaped_name_javascript_pdf() -> bytes:
    """/S /JavaScript written with a #-escape, which viewers decode."""
    return one_page(
        b"/OpenAction 6 0 R", o6=b"<< /S /Java#53cript /JS (app.alert(1)) >>"
    )


def looping_references_pdf() -> bytes:
    """Objects that refer to each other in circles: harmless, must not hang."""
    return one_page(
        b"/Loop 6 0 R",
        o6=b"[6 0 R 7 0 R << /Back 6 0 R >>]",
        o7=b"<< /Next 7 0 R /Up 6 0 R /Page 3 0 R >>",
    )


def deeply_nested_pdf(depth: int = 50_000) -> bytes:
    """An array nested tens of thousands of levels deep, reached from the catalog."""
    return one_page(b"/Deep 6 0 R", o6=b"[" * depth + b"]" * depth)


def slow_to_parse_pdf(arrays: int = 40, items: int = 100_000) -> bytes:
    """Dozens of huge arrays: seconds of parsing each, minutes in all."""
    references = b" ".join(b"%d 0 R" % n for n in range(6, 6 + arrays))
    body = b"[" + b"0 " * items + b"]"
    return one_page(
        b"/Big [" + references + b"]",
        **{f"o{n}": body for n in range(6, 6 + arrays)},
    )


def decompression_bomb_pdf(megabytes: int = 400) -> bytes:
    """A page whose few hundred kilobytes of content inflate to ``megabytes``."""
    drawing = b"0 0 m 1 1 l S\n"
    compressed = zlib.compress(drawing * (megabytes * 1024 * 1024 // len(drawing)), 9)
    return raw_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: (
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
                b" /Contents 4 0 R >>"
            ),
            4: b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
            % (len(compressed), compressed),
        }
    )


# Active content that runs or sends by itself --------------------------------


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = value
    return action


def _submit_form() -> DictionaryObject:
    return _action(
        "/SubmitForm",
        F=DictionaryObject(
            {
                NameObject("/FS"): NameObject("/URL"),
                NameObject("/F"): TextStringObject("https://collect.example/form"),
            }
        ),
    )


def open_action_submit_form_pdf() -> bytes:
    """Sends the form's data to a server as soon as the document opens."""
    writer = _writer()
    writer.root_object[NameObject("/OpenAction")] = _submit_form()
    return written(writer)


def catalog_additional_action_submit_form_pdf() -> bytes:
    """Sends the form's data when the document is closed (catalog /AA /WC)."""
    writer = _writer()
    writer.root_object[NameObject("/AA")] = DictionaryObject(
        {NameObject("/WC"): writer._add_object(_submit_form())}
    )
    return written(writer)


def page_additional_action_import_data_pdf() -> bytes:
    """Loads form data from another file when the page opens (page /AA /O)."""
    writer = _writer()
    action = _action("/ImportData", F=TextStringObject("data.fdf"))
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): action})
    return written(writer)


def annotation_additional_action_remote_go_to_pdf() -> bytes:
    """Opens another PDF when the pointer enters a link (annotation /AA /E)."""
    writer = _writer()
    link = Link(rect=(50, 50, 200, 80), url="https://example.org/")
    go_to_other_file = _action(
        "/GoToR",
        F=TextStringObject("other.pdf"),
        D=ArrayObject([NumberObject(0), NameObject("/Fit")]),
    )
    link[NameObject("/AA")] = DictionaryObject({NameObject("/E"): go_to_other_file})
    writer.add_annotation(page_number=0, annotation=link)
    return written(writer)


def form_field_additional_action_launch_pdf() -> bytes:
    """Starts a program when a form field's value changes (field /AA /K)."""
    writer = _writer()
    field = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject("amount"),
            NameObject("/AA"): DictionaryObject(
                {NameObject("/K"): _action("/Launch", F=TextStringObject("calc.exe"))}
            ),
        }
    )
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([writer._add_object(field)])}
    )
    return written(writer)


def chained_open_action_submit_form_pdf() -> bytes:
    """A harmless open action (go to page 1) followed by a form submission."""
    writer = _writer()
    first_page = writer.pages[0].indirect_reference
    writer.root_object[NameObject("/OpenAction")] = _action(
        "/GoTo",
        D=ArrayObject([first_page, NameObject("/Fit")]),
        Next=writer._add_object(_submit_form()),
    )
    return written(writer)


def open_action_rich_media_pdf() -> bytes:
    """Starts a rich media player's script when the document opens."""
    writer = _writer()
    writer.root_object[NameObject("/OpenAction")] = _action(
        "/RichMediaExecute",
        CMD=DictionaryObject({NameObject("/C"): TextStringObject("play")}),
    )
    return written(writer)


def rich_media_annotation_pdf() -> bytes:
    """A Flash/video player placed on the page (a /RichMedia annotation)."""
    writer = _writer()
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/RichMedia"),
            NameObject("/Rect"): ArrayObject(
                [NumberObject(n) for n in (0, 0, 200, 100)]
            ),
        }
    )
    writer.add_annotation(page_number=0, annotation=annotation)
    return written(writer)


def javascript_link_pdf(url: str = "javascript:app.alert(1)") -> bytes:
    """A link whose address is a ``javascript:`` URL."""
    writer = _writer()
    link = Link(rect=(50, 50, 200, 80), url="https://example.org/")
    link[NameObject("/A")] = _action("/URI", URI=TextStringObject(url))
    writer.add_annotation(page_number=0, annotation=link)
    return written(writer)


def disguised_javascript_link_pdf() -> bytes:
    """``javascript:`` as browsers still read it: spaces, a tab, capitals."""
    return javascript_link_pdf("  Java\tScript:app.alert(1)")


XFA_WITH_SCRIPT = b"""<?xml version="1.0" encoding="UTF-8"?>
<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/">
<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/">
<subform name="form1"><field name="amount">
<event activity="initialize">
<script contentType="application/x-javascript">app.alert("hello");</script>
</event></field></subform></template></xdp:xdp>"""
XFA_WITHOUT_SCRIPT = b"""<?xml version="1.0" encoding="UTF-8"?>
<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/">
<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/">
<subform name="form1"><field name="amount"/></subform></template></xdp:xdp>"""


def _xfa_pdf(template: bytes) -> bytes:
    writer = _writer()
    packet = writer._add_object(_stream(template, {}))
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject(),
            NameObject("/XFA"): ArrayObject([TextStringObject("template"), packet]),
        }
    )
    return written(writer)


def xfa_script_pdf() -> bytes:
    """An XFA form whose field runs a script when the form opens."""
    return _xfa_pdf(XFA_WITH_SCRIPT)


def compressed_xfa_script_pdf() -> bytes:
    """The same form as one compressed stream, as writers usually store it."""
    writer = _writer()
    compressed = _stream(XFA_WITH_SCRIPT, {}).flate_encode()
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject(),
            NameObject("/XFA"): writer._add_object(compressed),
        }
    )
    return written(writer)


def xfa_form_without_script_pdf() -> bytes:
    return _xfa_pdf(XFA_WITHOUT_SCRIPT)


def link_to_another_document_pdf() -> bytes:
    """A link the reader clicks to open another PDF: allowed."""
    writer = _writer()
    link = Link(rect=(50, 50, 200, 80), url="https://example.org/")
    link[NameObject("/A")] = _action(
        "/GoToR",
        F=TextStringObject("annex.pdf"),
        D=ArrayObject([NumberObject(0), NameObject("/Fit")]),
    )
    writer.add_annotation(page_number=0, annotation=link)
    return written(writer)


# Files that are not PDFs from their first byte --------------------------------


def html_polyglot_pdf() -> bytes:
    """An HTML page that is also a valid PDF further on: a browser sniffing it
    would run the page's script."""
    return b"<html><script>alert(document.cookie)</script><!--\n" + text_pdf(1)


def whitespace_before_signature_pdf() -> bytes:
    """A real PDF preceded by blank lines, as some exporters write: accepted."""
    return b"\r\n \n" + text_pdf(1)


# Accessibility: what the checks before publishing read ---------------------


def accessibility_pdf(
    tagged: bool = True,
    language: str | None = "en-GB",
    display_title: bool = True,
    title: str | None = "Energy security in Europe",
    xmp_title: str | None = None,
) -> bytes:
    """A reportlab PDF given, or not, what the basic PDF/UA level asks: a
    structure tree marked as tagged, a language, its title shown as the
    window title (the title in the document information, or in XMP only)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(1, title=title))))
    catalog = writer.root_object
    if title is None:
        writer.metadata = None  # reportlab's default title, "untitled", too
    if tagged:
        tree = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
        catalog[NameObject("/StructTreeRoot")] = writer._add_object(tree)
        catalog[NameObject("/MarkInfo")] = DictionaryObject(
            {NameObject("/Marked"): BooleanObject(True)}
        )
    if language:
        catalog[NameObject("/Lang")] = TextStringObject(language)
    if display_title:
        catalog[NameObject("/ViewerPreferences")] = DictionaryObject(
            {NameObject("/DisplayDocTitle"): BooleanObject(True)}
        )
    if xmp_title:
        writer.xmp_metadata = XmpInformation.create()
        writer.xmp_metadata.dc_title = {"x-default": xmp_title}
    return written(writer)
