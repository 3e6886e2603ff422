"""What the meetings hold on a member (their registrations), registered with `leden.privacy`
so the data download and account erasure cover it, and a member who sees less keeps no place
out of their sight. Imported at start-up by portal's autodiscovery."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leden import privacy
from leden.models import Lid, User
from portal.personal_data import Action, Ground, Retention, declare, in_batches

from .models import Aanmelding
from .permissions import visible_meetings
from .services import registration_cancel


def _collect(lid: Lid) -> list[Mapping[str, Any]]:
    return list(
        Aanmelding.objects.filter(lid=lid).values(
            "bijeenkomst__titel", "bijeenkomst__begin", "status", "aangemeld_op"
        )
    )


def _logged_objects(lid: Lid) -> dict:
    return {Aanmelding: lid.aanmeldingen.values_list("pk", flat=True)}


def _erase(user: User, lid: Lid | None) -> None:
    """Places held for meetings still to come go to the waiting list; every registration
    stays, without name or address, so attendance figures stay right."""
    # Theirs too: what they did as a guest under the same address, before the account.
    theirs = Q(gast_email__iexact=user.email) | (Q(lid=lid) if lid is not None else Q())
    upcoming = Aanmelding.objects.cancellable().filter(
        theirs, bijeenkomst__begin__gt=timezone.now()
    )
    for aanmelding_id in upcoming.values_list("pk", flat=True):
        registration_cancel(aanmelding_id=aanmelding_id)
    Aanmelding.objects.filter(theirs).update(
        lid=None, gast_naam="", gast_email="", geanonimiseerd=True
    )


def _narrowed(lid: Lid) -> None:
    """A member who left a network, or its core, keeps no place at a meeting they may no
    longer see (they could not even cancel it there): it goes to the waiting list, and no
    reminder with the meeting's details or join link reaches them."""
    out_of_sight = (
        lid.aanmeldingen.cancellable()
        .filter(bijeenkomst__begin__gt=timezone.now())
        .exclude(bijeenkomst__in=visible_meetings(lid.user))
    )
    for aanmelding_id in out_of_sight.values_list("pk", flat=True):
        registration_cancel(aanmelding_id=aanmelding_id)


privacy.register(
    privacy.Holder(
        name="aanmeldingen",
        collect=_collect,
        logged_objects=_logged_objects,
        erase=_erase,
        narrowed=_narrowed,
    )
)


# --- The register of personal data (issue 19) -------------------------------------------


def _anonymise_guests(batch: QuerySet) -> int:
    """Name and address out; the row stays (attendance figures, the waiting list's history).
    The admin log names a registration "Name – Meeting": that name goes too."""
    pks = [str(pk) for pk in batch.values_list("pk", flat=True)]
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Aanmelding), object_id__in=pks
    ).update(object_repr=_("(anonymised registration)"), change_message="")
    return batch.update(gast_naam="", gast_email="", geanonimiseerd=True)


def forget_guests(now: datetime) -> int:
    """Guests' names and addresses go a period after the meeting ended."""
    cutoff = now - timedelta(days=GUEST_REGISTRATIONS.days)
    expired = Aanmelding.objects.filter(
        lid__isnull=True, geanonimiseerd=False, bijeenkomst__einde__lt=cutoff
    )
    return in_batches(expired, _anonymise_guests)


GUEST_REGISTRATIONS = Retention(
    "guest_registrations",
    91,
    starts=gettext_lazy("after the meeting"),
    action=Action.ANONYMISE,
    apply=forget_guests,
)

declare(
    "bijeenkomsten.Aanmelding",
    fields=("gast_naam", "gast_email"),
    purpose=gettext_lazy(
        "Your registration as a guest for an open meeting: a place, and mail about it."
    ),
    ground=Ground.AGREEMENT,
    seen_by=gettext_lazy("the coordinators of the organising networks; staff"),
    retention=GUEST_REGISTRATIONS,
)
declare(
    "bijeenkomsten.Aanmelding",
    fields=("lid",),
    purpose=gettext_lazy(
        "Your registrations and attendance: your place, reminders, and proof of attendance "
        "for your professional register."
    ),
    ground=Ground.AGREEMENT,
    seen_by=gettext_lazy("the coordinators of the organising networks; staff"),
    kept=gettext_lazy(
        "as long as you keep your account (for your attendance certificates); when you "
        "delete it, the registrations stay without your name so attendance figures stay right"
    ),
)
declare(
    "bijeenkomsten.Programmaonderdeel",
    fields=("sprekers", "beschrijving"),
    purpose=gettext_lazy("The programme of a meeting: who speaks about what."),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=gettext_lazy("whoever may see the meeting"),
    kept=gettext_lazy("as long as the meeting is in the archive"),
)
declare(
    "bijeenkomsten.Bijeenkomst",
    fields=("verslag",),
    purpose=gettext_lazy("The report of a meeting, which may name who contributed."),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=gettext_lazy("whoever may see the meeting"),
    kept=gettext_lazy("as long as the meeting is in the archive"),
)
declare(
    "bijeenkomsten.Materiaal",
    fields=("pdf", "afbeelding", "tekst"),
    purpose=gettext_lazy(
        "Material shared after a meeting; photos may show who was there, slides who spoke."
    ),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=gettext_lazy("whoever may see the meeting"),
    kept=gettext_lazy(
        "as long as the meeting is in the archive; ask the coordinator to remove a photo"
    ),
)
