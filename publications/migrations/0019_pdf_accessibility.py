"""What uploads now read from a PDF for the checks before publishing: whether
it is tagged and whether viewers show its title (its language was already
kept). Empty for the PDFs stored before: ``manage.py check_pdf_accessibility``
reads them (docs/publishing.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0018_search_fts"),
    ]

    operations = [
        migrations.AddField(
            model_name="pdfversion",
            name="is_tagged",
            field=models.BooleanField(
                help_text="Whether the file has a structure tree (tags) that screen readers follow: headings, lists, reading order.",
                null=True,
                verbose_name="tagged",
            ),
        ),
        migrations.AddField(
            model_name="pdfversion",
            name="shows_title",
            field=models.BooleanField(
                help_text="Whether PDF viewers show the document's title, not its file name, as the window title.",
                null=True,
                verbose_name="title shown",
            ),
        ),
    ]
