from django import template
from django.urls import translate_url

from authors.models import Author
from centers.models import ResearchCenter
from ifri.images import LAYOUTS, get_renditions, link
from ifri.rendition_names import rendition_name

from ..models import Publication

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context, language_code: str) -> str:
    """The current page in another language, query string included."""
    request = context["request"]
    return translate_url(request.get_full_path(), language_code)


@register.inclusion_tag("includes/responsive_image.html")
def responsive_image(image, layout: str, alt: str, css_class: str = "") -> dict:
    """An <img> of a stored image drawn as one of ifri.images.LAYOUTS.

    srcset lists the image's WebP renditions and src the one nearest the
    layout's usual width, with its width and height so that the browser keeps
    the space. Reads no file once the renditions are known; an image whose
    renditions cannot be made is shown as it is. A private image is linked
    as ifri.images.link says.
    """
    if not image:
        return {}
    spec = LAYOUTS[layout]
    context = {"alt": alt, "css_class": css_class, "eager": spec.eager}
    renditions = get_renditions(image)
    if renditions is None:
        return {**context, "src": image.url}
    url = link(image, renditions)
    width = renditions.closest(spec.fallback)
    return {
        **context,
        "src": url(rendition_name(image.name, width)),
        "srcset": renditions.srcset(url),
        "sizes": spec.sizes,
        "width": width,
        "height": renditions.height_at(width),
    }


@register.simple_tag
def image_credits(*sources) -> list[str]:
    """Credits of the images a page shows, each once, in order.

    Sources are publications (their card image), authors (their photo),
    research centers (their image), credit strings, and lists or pages of
    these. Reads only what is loaded: no query.
    """
    return list(dict.fromkeys(c for c in _credits(sources) if c))


def _credits(source):
    if isinstance(source, str):
        yield source
    elif isinstance(source, Publication):
        if card := source.card_image:
            yield card["credit"]
    elif isinstance(source, Author):
        if source.photo:
            yield source.photo_credit
    elif isinstance(source, ResearchCenter):
        if source.image:
            yield source.image_credit
    elif source is not None:
        for item in source:
            yield from _credits(item)
