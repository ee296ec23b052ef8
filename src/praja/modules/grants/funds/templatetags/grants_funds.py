"""Template filters of grant funds: `|rupiah`, `|percent`."""

from django import template

from praja.modules.grants.funds.rules import format_rupiah

register = template.Library()


@register.filter
def rupiah(amount) -> str:
    if amount is None or amount == "":
        return "–"
    return format_rupiah(int(amount))


@register.filter
def percent(value) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}".replace(".", ",") + " %"
