"""``{% editor_dashboard as sections %}``: the admin index's dashboard for
the signed-in user (publications/dashboard.py)."""

from django import template

from ..dashboard import sections_for

register = template.Library()


@register.simple_tag(takes_context=True)
def editor_dashboard(context):
    return sections_for(context["request"].user)
