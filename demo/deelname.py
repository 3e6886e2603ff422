"""Demo attendance that counts (deelname): educational time for past and coming meetings, and
a few no-shows, so the certificates, yearly overviews and figures have something to show.
Idempotent: keyed by meeting, rows are updated, not added twice."""

from __future__ import annotations

from django.utils import timezone

from bijeenkomsten.models import Aanmelding, Bijeenkomst
from deelname.models import Categorie, Leertijd


def load_educational_time() -> None:
    """Every third themed meeting is accredited (a made-up PE-online id), online sessions
    count 90 minutes; the rest keeps the defaults by kind (`deelname.educational`). One in
    seven past meetings gets a no-show: the last attendee back to "registered"."""
    # The demo's own meetings; the benchmark's (`load_scale`, "schaal-") keep the defaults.
    demo = Bijeenkomst.objects.exclude(slug__startswith="schaal-")
    themed = demo.filter(soort=Bijeenkomst.Soort.THEMA).order_by("begin", "pk")
    for i, bijeenkomst in enumerate(themed):
        if i % 3 == 0:
            Leertijd.objects.update_or_create(
                bijeenkomst=bijeenkomst,
                defaults={
                    "minuten": 105,
                    "categorie": Categorie.GEACCREDITEERD,
                    "accreditatie_id": f"PE-{400000 + bijeenkomst.pk}",
                    "bewijs": True,
                },
            )
    for bijeenkomst in demo.filter(soort=Bijeenkomst.Soort.ONLINE):
        Leertijd.objects.update_or_create(
            bijeenkomst=bijeenkomst,
            defaults={"minuten": 90, "categorie": Categorie.OVERIG, "bewijs": True},
        )
    past = demo.filter(begin__lt=timezone.now())
    for i, pk in enumerate(past.order_by("pk").values_list("pk", flat=True)):
        if i % 7 != 0:
            continue
        last = (
            Aanmelding.objects.filter(bijeenkomst_id=pk, lid__isnull=False)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        if last is not None:
            Aanmelding.objects.filter(pk=last, status=Aanmelding.Status.AANWEZIG).update(
                status=Aanmelding.Status.AANGEMELD
            )
