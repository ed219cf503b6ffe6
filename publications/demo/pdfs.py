"""The demo's full-analysis PDFs: small A4 documents drawn with reportlab.

reportlab's built-in fonts need no font file; pdf_safe() keeps to the
letters they can draw. invariant=1 makes the same input give the same bytes.
"""

import io
import unicodedata

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

Section = tuple[str, list[str]]  # (heading, paragraphs)


def pdf_safe(text: str) -> str:
    """What reportlab's built-in fonts can draw: letters outside Latin-1 lose
    their accents (Zieliński -> Zielinski) instead of showing as boxes."""
    out = []
    for char in text:
        try:
            char.encode("cp1252")
            out.append(char)
        except UnicodeEncodeError:
            stripped = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in stripped if c.isascii()) or "?")
    return "".join(out)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line breaking on ordinary spaces only, so that the no-break
    spaces of French typography ("titre : sous-titre") keep their hold."""
    lines, line = [], ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if line and stringWidth(candidate, font, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def draw_pdf(
    *,
    title: str,
    subtitle: str,
    credits: list[str],
    date: str,
    kind: str,
    note: str,
    sections: list[Section],
    color: tuple[int, int, int],
    page_label: str,
    site: str,
) -> bytes:
    """A small A4 PDF: a title page, then one page per section of text."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1, invariant=1)
    pdf.setTitle(pdf_safe(title))
    pdf.setAuthor(pdf_safe("; ".join(credits)))
    pdf.setCreator(pdf_safe(site))
    width, height = A4
    margin = 64
    text_width = width - 2 * margin

    def lines(text, font, size, step, y):
        pdf.setFont(font, size)
        for line in wrap(pdf_safe(text), font, size, text_width):
            if y < margin + 30:
                break
            pdf.drawString(margin, y, line)
            y -= step
        return y

    # Title page
    pdf.setFillColorRGB(*(c / 255 for c in color))
    pdf.rect(0, height - 150, width, 150, stroke=0, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    lines(site, "Helvetica-Bold", 13, 20, height - 80)
    lines(kind, "Helvetica", 11, 15, height - 100)
    pdf.setFillColorRGB(0.1, 0.1, 0.12)
    y = lines(title, "Helvetica-Bold", 24, 30, height - 230)
    if subtitle:
        y = lines(subtitle, "Helvetica", 15, 20, y)
    y -= 24
    for credit in credits:
        y = lines(credit, "Helvetica", 12, 17, y)
    y = lines(date, "Helvetica", 12, 17, y - 10)
    if note:
        lines(note, "Helvetica-Oblique", 10, 14, y - 10)
    pdf.showPage()

    # One page of text per section
    for number, (heading, paragraphs) in enumerate(sections, start=2):
        y = lines(heading, "Helvetica-Bold", 15, 28, height - margin)
        for paragraph in paragraphs:
            y = lines(paragraph, "Helvetica", 10.5, 14.5, y) - 8
        pdf.setFont("Helvetica", 8.5)
        footer = pdf_safe(f"{title} — {page_label} {number}")
        pdf.drawString(margin, margin - 24, footer[:110])
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
