from modeltranslation.translator import TranslationOptions, register

from .models import PublicationType


@register(PublicationType)
class PublicationTypeTranslationOptions(TranslationOptions):
    fields = ("name", "plural_name")
    required_languages = {"en": ("name", "plural_name")}
