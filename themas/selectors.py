"""Reads for the round pages. Counts are read only for a closed round: while a round runs,
nothing here returns or orders by support or approvals, so no page can show them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from leden.models import Lid

from .models import Stem, Steun, Themaronde, Themavoorstel


@dataclass
class RoundView:
    ronde: Themaronde
    voorstellen: list[Themavoorstel]
    samengevoegd: list[Themavoorstel]
    gesteund: set[int] = field(default_factory=set)  # the viewer's own support
    gestemd: set[int] = field(default_factory=set)  # the viewer's own ballot
    gekozen: list[Themavoorstel] = field(default_factory=list)  # closed rounds only


def round_for_page(ronde: Themaronde, lid: Lid | None) -> RoundView:
    """The round's proposals by title (never by support or votes), the viewer's own support
    and ballot, and after the close the result with each theme's approvals (the attendance
    forecast). A fixed number of queries, however many proposals and ballots."""
    proposals = Themavoorstel.objects.filter(ronde=ronde).select_related(
        "indiener", "samengevoegd_in"
    )
    if ronde.results_public:
        proposals = proposals.annotate(
            goedkeuringen=Count("stemmen", distinct=True),
            steunbetuigingen=Count("steun", distinct=True),
        )
    rows = list(proposals.order_by("titel", "pk"))
    view = RoundView(
        ronde=ronde,
        voorstellen=[v for v in rows if v.samengevoegd_in_id is None],
        samengevoegd=[v for v in rows if v.samengevoegd_in_id is not None],
    )
    if lid is not None:
        own = Q(lid=lid, voorstel__ronde=ronde)
        view.gesteund = set(Steun.objects.filter(own).values_list("voorstel_id", flat=True))
        view.gestemd = set(
            Stem.objects.filter(biljet__lid=lid, biljet__ronde=ronde).values_list(
                "voorstel_id", flat=True
            )
        )
    if ronde.results_public:
        view.gekozen = sorted(
            (v for v in view.voorstellen if v.gekozen_als), key=lambda v: v.gekozen_als or 0
        )
    return view
