"""Publications' images and PDF first pages move to the private storage, where
only staff allowed to preview reach them; published work's keep a public copy
(publications/media.py).

Files stored before are copied from the public storage into the private one,
then the public copies of what is not visible to all (drafts, scheduled work,
earlier PDFs' first pages) are deleted, with their renditions. Running
``manage.py sync_publication_images --all`` afterwards completes the public
copies of published work.
"""

import ifri.uploads
import publications.media
import publications.models
from django.core.files.base import File
from django.core.files.storage import storages
from django.db import migrations, models
from django.utils import timezone

IMAGE_FIELDS = ("main_image", "cover_image", "pdf_thumbnail")


def make_images_private(apps, schema_editor):
    from ifri.images import withdraw_copy

    Publication = apps.get_model("publications", "Publication")
    PdfVersion = apps.get_model("publications", "PdfVersion")
    public, private = storages["default"], storages["private"]
    now = timezone.now()
    names, shown = set(), set()
    rows = Publication.objects.values_list("status", "publish_at", *IMAGE_FIELDS)
    for status, publish_at, *images in rows.iterator():
        visible = status == "published" and publish_at <= now
        for name in filter(None, images):
            names.add(name)
            if visible:
                shown.add(name)
    versions = PdfVersion.objects.exclude(thumbnail="")
    names.update(versions.values_list("thumbnail", flat=True))
    for name in sorted(names):
        if not private.exists(name) and public.exists(name):
            with public.open(name, "rb") as handle:
                stored = private.save(name, File(handle))
            if stored != name:
                raise RuntimeError(f"{name} was stored as {stored}")
        if name not in shown:
            withdraw_copy(name)


class Migration(migrations.Migration):

    dependencies = [
        ('publications', '0015_search_review'),
    ]

    operations = [
        migrations.AlterField(
            model_name='pdfversion',
            name='thumbnail',
            field=models.ImageField(blank=True, storage=publications.models.private_storage, upload_to=ifri.uploads.UploadTo('pdf-thumbnails'), verbose_name='first page'),
        ),
        migrations.AlterField(
            model_name='publication',
            name='cover_image',
            field=publications.media.PublicationImageField(blank=True, help_text='Shown in lists and related publications. The main image is used when there is none.', storage=publications.models.private_storage, upload_to=ifri.uploads.UploadTo('covers'), validators=[ifri.uploads.validate_image], verbose_name='cover image'),
        ),
        migrations.AlterField(
            model_name='publication',
            name='main_image',
            field=publications.media.PublicationImageField(blank=True, help_text='Shown at the top of the article page.', storage=publications.models.private_storage, upload_to=ifri.uploads.UploadTo('publications'), validators=[ifri.uploads.validate_image], verbose_name='main image'),
        ),
        migrations.AlterField(
            model_name='publication',
            name='pdf_thumbnail',
            field=publications.media.PublicationImageField(blank=True, editable=False, help_text='Drawn from the PDF; shown as the cover when there is no cover or main image.', storage=publications.models.private_storage, upload_to=ifri.uploads.UploadTo('pdf-thumbnails'), verbose_name='PDF first page'),
        ),
        migrations.RunPython(make_images_private, migrations.RunPython.noop),
    ]
