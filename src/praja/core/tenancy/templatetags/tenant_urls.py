"""`{% turl 'name' ... %}`: reverse a tenant URL for the active tenant."""

from django import template

from praja.core.tenancy.urls import tenant_reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def turl(context, view_name: str, *args, **kwargs) -> str:
    request = context.get("request")
    tenant = getattr(request, "tenant", None) or context.get("tenant")
    return tenant_reverse(view_name, tenant=tenant, args=args, kwargs=kwargs)
