"""What waits for a coordinator's decision, for the admin's index page."""

from django import template
from django.http import HttpRequest

from portal.adminscope import request_scope, scope_queryset

from ..models import Lidmaatschap

register = template.Library()


@register.simple_tag(takes_context=True)
def open_requests(context) -> dict:
    """Join requests and tier-move requests in the networks this user manages."""
    request: HttpRequest = context["request"]
    scope = request_scope(request)
    memberships = scope_queryset(Lidmaatschap.objects.all(), "netwerk", scope)
    return {
        "join": memberships.pending().count(),
        "tier": memberships.tier_move_requested().count(),
    }
