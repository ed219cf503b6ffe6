"""Record each PDF stored before versions existed as its publication's current
version, so that replacing it keeps it in the history (and its file).

Reads no file: the fingerprint, text and thumbnail of these older PDFs stay
empty until a new upload replaces them.
"""

from django.db import migrations


def record_existing_pdfs(apps, schema_editor):
    Publication = apps.get_model("publications", "Publication")
    PdfVersion = apps.get_model("publications", "PdfVersion")
    PdfVersion.objects.bulk_create(
        PdfVersion(
            publication_id=publication.pk,
            file=publication.pdf,
            size=publication.pdf_size or 0,
            pages=publication.pdf_pages or 0,
            uploaded_at=publication.updated_at,
            uploaded_by_id=publication.updated_by_id,
            is_current=True,
        )
        for publication in Publication.objects.exclude(pdf="")
        .exclude(pdf__isnull=True)
        .exclude(pdf_versions__isnull=False)
        .only("pk", "pdf", "pdf_size", "pdf_pages", "updated_at", "updated_by_id")
    )


class Migration(migrations.Migration):
    dependencies = [("publications", "0005_pdf_versions")]

    operations = [migrations.RunPython(record_existing_pdfs, migrations.RunPython.noop)]
