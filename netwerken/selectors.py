"""Reads of networks."""

from django.db.models import Count, Prefetch, Q, QuerySet

from leden.models import Lidmaatschap

from .models import Netwerk

_ACTIVE = Q(lidmaatschappen__status=Lidmaatschap.Status.ACTIEF)


def networks_with_counts() -> QuerySet:
    """Networks with their umbrella and member counts per tier (counts only: no names)."""
    return Netwerk.objects.select_related("koepel").annotate(
        aantal_kern=Count(
            "lidmaatschappen", filter=_ACTIVE & Q(lidmaatschappen__schil=Lidmaatschap.Schil.KERN)
        ),
        aantal_betrokken=Count(
            "lidmaatschappen",
            filter=_ACTIVE & Q(lidmaatschappen__schil=Lidmaatschap.Schil.BETROKKEN),
        ),
    )


def network_for_page(slug: str) -> Netwerk | None:
    from django.contrib.auth import get_user_model

    return (
        networks_with_counts()
        .filter(slug=slug)
        .prefetch_related(
            "subregios",
            "speerpunten",
            "partners",
            Prefetch("coordinators", queryset=get_user_model().objects.select_related("lid")),
        )
        .first()
    )
