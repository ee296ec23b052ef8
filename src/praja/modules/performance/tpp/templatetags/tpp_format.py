"""Indonesian formats of the TPP pages: {{ amount|rupiah }}, {{ percent|persen }}."""

from django import template

from praja.modules.performance.tpp import rules

register = template.Library()


@register.filter
def rupiah(value) -> str:
    try:
        return rules.format_rupiah(int(value))
    except (TypeError, ValueError):
        return ""


@register.filter
def persen(value) -> str:
    try:
        return rules.format_percent(value)
    except (TypeError, ValueError, ArithmeticError):
        return ""
