from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context, language_code: str) -> str:
    """The current page in another language, query string included."""
    request = context["request"]
    return translate_url(request.get_full_path(), language_code)
