"""Template helpers of grants screening: the flags of a subject for the `_flags.html` include."""

from django import template

from praja.modules.grants.screening import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def screening_flags(context, subject) -> dict:
    """Flags of `subject` (open first) and what the viewing user may do with them."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if subject is None or getattr(subject, "pk", None) is None:
        return {"flags": [], "can_view": False, "can_clear": False}
    can_view = selectors.can_view_flags(user)
    flags = list(selectors.flags_for(subject).select_related("cleared_by"))
    for flag in flags:
        flag.page_url = _flag_url(flag) if can_view else None
    return {"flags": flags, "can_view": can_view, "can_clear": selectors.can_clear_flags(user)}


def _flag_url(flag) -> str | None:
    """The flag's page, or None while the screening pages are not mounted (the list still renders)."""
    from django.urls import NoReverseMatch

    from praja.core.tenancy.urls import tenant_reverse

    try:
        return tenant_reverse("grants-screening-flag", kwargs={"flag_id": flag.pk})
    except NoReverseMatch:
        return None


@register.filter
def value_of(mapping, key):
    return (mapping or {}).get(key, "")


@register.filter
def evidence_lines(flag):
    """The flag's evidence as readable lines (label, text) in the active language."""
    from praja.modules.grants.screening.evidence import describe_evidence

    return describe_evidence(flag)
