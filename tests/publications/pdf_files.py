"""PDF files for the upload tests: real ones drawn with reportlab, changed with
pypdf's writer, and hand-written ones for what no writer would produce."""

import io
import zlib

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.pdfgen import canvas

from ..conftest import make_image_bytes


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
    writer._root_object[NameObject("/Lang")] = TextStringObject(language)
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
    writer._root_object[NameObject("/OpenAction")] = _javascript()
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
    writer._root_object[NameObject("/Names")] = DictionaryObject(
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
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([reference])}
    )
    return written(writer)


def launch_pdf() -> bytes:
    writer = _writer()
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
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
