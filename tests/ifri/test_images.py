"""Images: what an upload must be, what is stored, and what pages send."""

import io
import re
import struct
import zlib
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from ifri.images import prepare_renditions
from ifri.rendition_names import RENDITION_WIDTHS, rendition_name, widths_for
from ifri.uploads import MESSAGES
from publications.models import Publication

from ..factories import (
    AuthorFactory,
    PublicationFactory,
    ResearchCenterFactory,
    editor,
)
from ..helpers import (
    admin_form_data,
    change_url,
    files_in,
    form_errors,
    make_image_bytes,
    make_pdf_bytes,
    snapshot,
)

pytestmark = pytest.mark.django_db

SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)
RED, BLUE = (220, 20, 20), (20, 20, 220)


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def noisy_jpeg(size=(800, 600)) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (20, 20), (80 * i, 0, 0)) for i in range(3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def phone_photo() -> bytes:
    """A JPEG as phones write it: stored sideways, with place and camera."""
    image = Image.new("RGB", (300, 200), BLUE)
    image.paste(RED, (0, 0, 150, 200))  # left half red: on top once upright
    exif = image.getexif()
    exif[ExifTags.Base.Orientation] = 6  # turn 90° clockwise to display
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 15 Pro"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 24.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 21.0, 3.0)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    image.save(
        buffer,
        "JPEG",
        exif=exif,
        icc_profile=srgb,
        comment=b"Shot at home",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">home</x:xmpmeta>',
    )
    return buffer.getvalue()


def stored(publication) -> Image.Image:
    return Image.open(publication.main_image.path)


def img_tags(html: str) -> list[str]:
    return re.findall(r"<img\b[^>]*>", html)


def attribute(tag: str, name: str) -> str:
    found = re.search(rf'\s{name}="([^"]*)"', tag)
    return found[1] if found else ""


# Refused uploads -----------------------------------------------------------


REFUSED = {
    "pixel-bomb": (
        "huge.png",
        png_declaring(30_000, 30_000),
        MESSAGES["image_pixels"] % {"pixels": "900,000,000", "limit": "40,000,000"},
    ),
    # Over the limit, under twice it: Pillow only warns, the upload is refused.
    "pixel-bomb-under-twice-the-limit": (
        "large.png",
        png_declaring(8_000, 6_000),
        MESSAGES["image_pixels"] % {"pixels": "48,000,000", "limit": "40,000,000"},
    ),
    "svg": ("drawing.svg", SVG, MESSAGES["image_svg"]),
    "svg-renamed-png": ("drawing.png", SVG, MESSAGES["image_svg"]),
    "jpeg-renamed-png": (
        "photo.png",
        make_image_bytes("JPEG"),
        MESSAGES["image_format"] % {"format": "JPEG", "ext": ".png"},
    ),
    "text-renamed-jpg": (
        "notes.jpg",
        b"Minutes of the meeting\n",
        MESSAGES["image_unreadable"],
    ),
    "truncated-jpeg": ("cut.jpg", noisy_jpeg()[:20_000], MESSAGES["image_damaged"]),
    "animated-gif": ("loop.gif", animated_gif(), MESSAGES["image_animated"]),
}


@pytest.mark.parametrize("name,content,message", REFUSED.values(), ids=REFUSED)
def test_refused_image_shows_its_message_and_nothing_changes(
    client, name, content, message
):
    publication = PublicationFactory(with_image=True)
    before, media_files = snapshot(publication), files_in(settings.MEDIA_ROOT)
    client.force_login(editor())
    data = admin_form_data(client.get(change_url(publication)))
    data["main_image"] = SimpleUploadedFile(name, content)

    response = client.post(change_url(publication), data)

    assert response.status_code == 200
    assert form_errors(response) == {"main_image": [str(message)]}
    assert snapshot(publication) == before
    assert files_in(settings.MEDIA_ROOT) == media_files


def test_pixel_bomb_is_small_on_disk():
    assert len(png_declaring(30_000, 30_000)) < 200


@pytest.mark.parametrize("name,content,message", REFUSED.values(), ids=REFUSED)
def test_a_script_cannot_store_a_refused_image_either(name, content, message):
    publication = PublicationFactory(with_image=True)
    before, media_files = snapshot(publication), files_in(settings.MEDIA_ROOT)

    publication.main_image = ContentFile(content, name=name)
    with pytest.raises(ValidationError) as refused:
        publication.save()

    assert refused.value.messages == [str(message)]
    assert snapshot(publication) == before
    assert files_in(settings.MEDIA_ROOT) == media_files


# What is stored ------------------------------------------------------------


def test_upload_is_stored_upright_without_location_or_camera(client):
    publication = PublicationFactory(with_image=True, authors=[AuthorFactory()])
    client.force_login(editor())
    data = admin_form_data(client.get(change_url(publication)))
    data["main_image"] = SimpleUploadedFile("IMG_0042.jpg", phone_photo())

    response = client.post(change_url(publication), data)

    assert response.status_code == 302, form_errors(response)
    publication.refresh_from_db()
    with stored(publication) as image:
        assert image.format == "JPEG"
        assert image.size == (200, 300)  # turned upright
        assert image.getpixel((100, 40))[0] > 180  # the red half is on top
        assert image.getpixel((100, 260))[2] > 180
        exif = image.getexif()
        assert ExifTags.Base.Orientation not in exif
        assert ExifTags.Base.Make not in exif
        assert ExifTags.Base.Model not in exif
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
        assert "comment" not in image.info
        assert "xmp" not in image.info
        assert image.info.get("icc_profile"), "the colour profile is kept"
    raw = Path(publication.main_image.path).read_bytes()
    for secret in (b"PhoneMaker", b"Phone 15 Pro", b"Shot at home", b"xmpmeta"):
        assert secret not in raw


def test_png_keeps_its_format_and_transparency_but_not_its_text():
    image = Image.new("RGBA", (40, 30), (0, 0, 0, 0))
    image.paste((10, 120, 200, 255), (0, 0, 20, 30))
    exif = image.getexif()
    exif[ExifTags.Base.Model] = "Scanner 3000"
    buffer = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "drawn at the office")
    image.save(buffer, "PNG", pnginfo=info, exif=exif)
    center = ResearchCenterFactory(image=ContentFile(buffer.getvalue(), name="map.png"))

    with Image.open(center.image.path) as stored_image:
        assert stored_image.format == "PNG"
        assert stored_image.mode == "RGBA"
        assert stored_image.getpixel((30, 10))[3] == 0
        assert "Comment" not in stored_image.info
        assert ExifTags.Base.Model not in stored_image.getexif()


# Renditions ----------------------------------------------------------------


def rendition_files(name: str, root=None) -> dict[int, Path]:
    root = Path(root or settings.MEDIA_ROOT)
    folder = root / Path(rendition_name(name, 1)).parent
    stem = Path(name).stem
    return {
        int(path.stem.rsplit("-", 1)[1]): path for path in folder.glob(f"{stem}-*.webp")
    }


def test_renditions_are_webp_at_each_width_up_to_the_largest(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        publication = PublicationFactory(
            main_image=ContentFile(make_image_bytes("JPEG", (2400, 1200)), "big.jpg"),
            with_image=True,
        )

    files = rendition_files(publication.main_image.name)
    assert sorted(files) == list(RENDITION_WIDTHS)
    for width, path in files.items():
        with Image.open(path) as rendition:
            assert rendition.format == "WEBP"
            assert rendition.size == (width, width // 2)


def test_full_disk_while_making_renditions_leaves_none_cut_short(
    full_disk, monkeypatch, client
):
    """The renditions written in full stay; the one cut short is deleted, so
    that the first display makes it again once there is room."""
    publication = PublicationFactory(
        main_image=ContentFile(make_image_bytes("JPEG", (700, 350)), "m.jpg"),
        with_image=True,
    )
    image = publication.main_image
    full_disk(after=2)

    prepare_renditions(image.storage, image.name)  # what the commit runs

    # Beside the original, which is private until its copy is published.
    written = rendition_files(image.name, settings.PRIVATE_MEDIA_ROOT)
    assert len(written) == 2
    for path in written.values():
        with Image.open(path) as rendition:
            rendition.load()
    monkeypatch.undo()  # room again
    client.get(publication.get_absolute_url())
    made = rendition_files(image.name, settings.PRIVATE_MEDIA_ROOT)
    assert sorted(made) == list(widths_for(700))


def test_renditions_are_never_wider_than_the_original(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        author = AuthorFactory(
            photo=ContentFile(make_image_bytes("PNG", (500, 500)), "me.png")
        )

    files = rendition_files(author.photo.name)
    assert sorted(files) == [96, 192, 320, 500]
    assert widths_for(40) == (40,)
    assert max(widths_for(6000)) == max(RENDITION_WIDTHS)


def test_renditions_go_with_the_image_they_were_made_from(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        publication = PublicationFactory(with_image=True)
    first = publication.main_image.name
    assert rendition_files(first)

    with django_capture_on_commit_callbacks(execute=True):
        publication.main_image = ContentFile(make_image_bytes(), name="new.jpg")
        publication.save()
    assert not rendition_files(first)
    second = publication.main_image.name
    assert rendition_files(second)

    with django_capture_on_commit_callbacks(execute=True):
        Publication.objects.filter(pk=publication.pk).delete()
    assert not rendition_files(second)
    assert not list((settings.MEDIA_ROOT / "renditions/publications").iterdir())


def test_a_new_pdf_s_first_page_gets_its_renditions_when_saved(
    django_capture_on_commit_callbacks,
):
    publication = PublicationFactory(pdf="", with_image=True)

    with django_capture_on_commit_callbacks(execute=True):
        publication.pdf = ContentFile(make_pdf_bytes(2), name="analysis.pdf")
        publication.save()

    assert publication.pdf_thumbnail
    assert rendition_files(publication.pdf_thumbnail.name)


# What pages send -----------------------------------------------------------


def test_article_main_image_has_a_srcset_of_renditions(client, commit):
    with commit():
        publication = PublicationFactory(
            main_image=ContentFile(make_image_bytes("JPEG", (1800, 900)), "main.jpg"),
            with_image=True,
        )

    html = client.get(publication.get_absolute_url()).content.decode()

    [tag] = [t for t in img_tags(html) if 'alt="Wind turbines at sea"' in t]
    srcset = attribute(tag, "srcset")
    name = publication.main_image.name
    for width in RENDITION_WIDTHS:
        assert f"/media/{rendition_name(name, width)} {width}w" in srcset
    assert attribute(tag, "sizes") == "(min-width: 64em) 46rem, 100vw"
    assert attribute(tag, "src") == f"/media/{rendition_name(name, 960)}"
    assert (attribute(tag, "width"), attribute(tag, "height")) == ("960", "480")
    assert "loading" not in tag  # the first thing readers see is not deferred


def test_no_card_points_at_an_original(client):
    author = AuthorFactory()
    publications = [
        PublicationFactory(authors=[author], with_image=True) for _ in range(3)
    ]
    publications.append(
        PublicationFactory(
            authors=[author],
            cover_image=ContentFile(make_image_bytes("PNG", (600, 850)), "c.png"),
            cover_image_alt="Cover of the report",
            cover_image_credit="Cover: Studio",
            with_image=True,
        )
    )
    originals = [
        f.name
        for p in publications
        for f in (p.main_image, p.cover_image, p.center.image)
        if f
    ] + [author.photo.name]

    for url in ("/en/", "/en/publications/", author.get_absolute_url(), "/en/centers/"):
        html = client.get(url).content.decode()
        tags = img_tags(html)
        assert tags, url
        for tag in tags:
            assert attribute(tag, "srcset"), tag
            assert attribute(tag, "width") and attribute(tag, "height"), tag
            assert attribute(tag, "src").endswith(".webp"), tag
            for original in originals:
                assert original not in tag, f"{url} sends {original}"


def test_srcset_reads_no_file_once_renditions_are_known(client):
    publication = PublicationFactory(with_image=True)
    client.get(publication.get_absolute_url())  # makes and indexes renditions

    with (
        mock.patch.object(FileSystemStorage, "exists") as exists,
        mock.patch.object(FileSystemStorage, "open") as opened,
    ):
        response = client.get(f"{publication.get_absolute_url()}?uncached=1")

    assert response.status_code == 200
    assert "srcset=" in response.content.decode()
    exists.assert_not_called()
    opened.assert_not_called()


def test_image_without_its_file_is_shown_as_it_is(client):
    publication = PublicationFactory(with_image=True)
    Path(publication.main_image.path).unlink()

    response = client.get(publication.get_absolute_url())

    assert response.status_code == 200
    assert f'src="{publication.main_image.url}"' in response.content.decode()


def test_every_page_credits_the_images_it_shows(client):
    author = AuthorFactory(photo_credit="Photo: Portrait Studio")
    publication = PublicationFactory(
        authors=[author],
        main_image_credit="Photo: Main Studio",
        cover_image=ContentFile(make_image_bytes("PNG"), "cover.png"),
        cover_image_alt="Cover",
        cover_image_credit="Cover: Print Studio",
        with_image=True,
    )
    center = publication.center

    pages = {
        "/en/": ["Cover: Print Studio"],
        "/en/publications/": ["Cover: Print Studio"],
        author.get_absolute_url(): ["Photo: Portrait Studio", "Cover: Print Studio"],
        center.get_absolute_url(): [center.image_credit, "Cover: Print Studio"],
        "/en/authors/": ["Photo: Portrait Studio"],
        "/en/centers/": [center.image_credit],
    }
    for url, credits in pages.items():
        html = client.get(url).content.decode()
        footer = html[html.index('class="image-credits"') :]
        for credit in credits:
            assert credit in footer, f"{url} does not credit {credit}"
