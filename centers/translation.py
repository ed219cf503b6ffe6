from modeltranslation.translator import TranslationOptions, register

from .models import ResearchCenter


@register(ResearchCenter)
class ResearchCenterTranslationOptions(TranslationOptions):
    fields = ("name", "teaser", "description", "image_alt")
    required_languages = {"en": ("name",)}
