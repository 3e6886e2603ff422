"""Reads for the round pages. Counts are read only for a closed round: while a round runs,
nothing here returns or orders by support or approvals, so no page can show them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils.functional import Promise

from leden.models import Lid, Lidmaatschap

from .models import (
    Antwoord,
    Beschikbaarheid,
    Datumpeiling,
    Kandidaatavond,
    Reactie,
    Stem,
    Steun,
    Themaronde,
    Themavoorstel,
)


@dataclass
class RoundView:
    ronde: Themaronde
    voorstellen: list[Themavoorstel]
    samengevoegd: list[Themavoorstel]
    gesteund: set[int] = field(default_factory=set)  # the viewer's own support
    gestemd: set[int] = field(default_factory=set)  # the viewer's own ballot
    gekozen: list[Themavoorstel] = field(default_factory=list)  # closed rounds only


def comments_for_page(ronde: Themaronde) -> Prefetch:
    """Each proposal's comments, oldest first, with `naam_zichtbaar`: whether the commenter is
    an active member of the round's network. Everyone who sees the round page is an active
    member, coordinator or staff of that network, so for such a commenter
    `leden.permissions.can_see_member` holds for every viewer; a commenter who has left shows
    without a name. One query for all proposals."""
    still_member = Lidmaatschap.objects.active().filter(
        lid=OuterRef("lid"), netwerk_id=ronde.netwerk_id
    )
    return Prefetch(
        "reacties",
        queryset=Reactie.objects.select_related("lid")
        .annotate(naam_zichtbaar=Exists(still_member))
        .order_by("aangemaakt_op", "pk"),
    )


def round_for_page(ronde: Themaronde, lid: Lid | None) -> RoundView:
    """The round's proposals by title (never by support or votes) with their comments, the
    viewer's own support and ballot, and after the close the result with each theme's
    approvals (the attendance forecast). A fixed number of queries, however many proposals,
    comments and ballots."""
    proposals = (
        Themavoorstel.objects.filter(ronde=ronde)
        .select_related("indiener", "samengevoegd_in")
        .prefetch_related(comments_for_page(ronde))
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


@dataclass
class DatePollView:
    """The date poll as a member sees it: the evenings with the viewer's own answer."""

    peiling: Datumpeiling
    rijen: list[tuple[Kandidaatavond, str]]  # (evening, own answer or "")
    open: bool
    keuzes: list[tuple[str, str | Promise]] = field(default_factory=lambda: list(Antwoord.choices))


def date_poll_for_page(ronde: Themaronde, lid: Lid | None) -> DatePollView | None:
    """The closed round's date poll with the viewer's answers, or None. At most three
    queries, however many evenings and members."""
    if not ronde.results_public:
        return None
    peiling = Datumpeiling.objects.filter(ronde=ronde).first()
    if peiling is None:
        return None
    avonden = list(peiling.avonden.order_by("datum"))
    own: dict[int, str] = {}
    if lid is not None:
        own = dict(
            Beschikbaarheid.objects.filter(lid=lid, avond__peiling=peiling).values_list(
                "avond_id", "antwoord"
            )
        )
    return DatePollView(
        peiling=peiling,
        rijen=[(avond, own.get(avond.pk, "")) for avond in avonden],
        open=peiling.is_open(),
    )
