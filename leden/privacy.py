"""A member's personal data across the portal: the download (AVG art. 15/20) and erasure
(art. 17), and what a member may no longer keep once they see less.

`leden` holds the account, profile and memberships; apps above it hold more of a member's data
(registrations, in `bijeenkomsten`). `leden` cannot import them (they sit above it), so each
registers what it holds as a `Holder`, from its own `privacy` module, which portal's start-up
imports as it imports every app's `permissions` and `exports` (see `portal.apps`). The download
and erasure below then cover every holder, and an app that adds personal data adds one
registration, not an edit here.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from berichten.models import Verzending
from netwerken.models import Netwerk
from portal.accesslog import views_of
from portal.models import ExportLog
from portal.pagecache import bump_content_version
from portal.personal_data import Action, Ground, Retention, declare, in_batches
from portal.queueing import enqueue_on_commit

from . import tasks
from .mail_preferences import mail_data_of
from .models import Lid, Lidmaatschap, User
from .photos import lid_photo_remove


@dataclass(frozen=True)
class Holder:
    """What one app holds on members, and how it lets go of it."""

    name: str  # its section in the download
    collect: Callable[[Lid], Sequence[Mapping[str, Any]]]  # rows of its section
    # Rows the admin log may name the member by: {model: primary keys}.
    logged_objects: Callable[[Lid], Mapping[type[Model], Iterable[int]]]
    # Before the account goes: free what is still to come, anonymise what must stay.
    erase: Callable[[User, Lid | None], None]
    # The member left a network or its core: nothing of theirs may stay out of their sight.
    narrowed: Callable[[Lid], None]


_holders: dict[str, Holder] = {}


def register(holder: Holder) -> None:
    """Add an app's personal data to the download and the erasure (once per name)."""
    if holder.name in _holders:
        raise ImproperlyConfigured(f"personal data {holder.name!r} is registered twice")
    _holders[holder.name] = holder


def holders() -> list[Holder]:
    return list(_holders.values())


def member_narrowed(lid: Lid) -> None:
    """The member sees less now (left a network or its core): every holder lets go of what
    the member could no longer see, or even cancel."""
    for holder in holders():
        holder.narrowed(lid)


def member_data(*, lid: Lid) -> dict:
    """Everything the portal holds on a member, for the privacy download (AVG art. 15/20)."""
    user = lid.user
    profile = {
        field.name: getattr(lid, field.attname)
        for field in Lid._meta.concrete_fields
        if field.name not in {"id", "user", "agenda_token", "foto"}
    }
    memberships = list(
        lid.lidmaatschappen.values(
            "netwerk__naam",
            "schil",
            "status",
            "motivatie",
            "aangevraagd_op",
            "lid_sinds",
            "beeindigd_op",
        )
    )
    return {
        "account": {
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "profiel": {**profile, "foto": _photo_for_download(lid)},
        "lidmaatschappen": memberships,
        **{holder.name: holder.collect(lid) for holder in holders()},
        "mail": _mail_log_of(user, lid),
        **mail_data_of(lid),
        "ingezien_door": views_of(user.pk),
        "exports": exports_covering(lid),
    }


# Exports that list members by network (`leden.exports`): which of them could have held this
# member is read from the export's filter, as the log keeps no data.
MEMBER_EXPORTS = {"members"}


def exports_covering(lid: Lid) -> list[dict]:
    """Member exports in the log (a year, see the "access_log" rule) whose filter took in a
    network this member belongs or belonged to: who exported, when, which export."""
    networks = {
        str(pk) for pk in lid.lidmaatschappen.values_list("netwerk_id", flat=True).distinct()
    }
    koepels = {
        str(pk)
        for pk in lid.lidmaatschappen.values_list("netwerk__koepel_id", flat=True).distinct()
    }
    rows = []
    for log in ExportLog.objects.filter(export__in=MEMBER_EXPORTS).order_by("-created_at"):
        netwerk, koepel = log.filters.get("netwerk"), log.filters.get("koepel")
        if netwerk and str(netwerk) not in networks:
            continue
        if koepel and str(koepel) not in koepels:
            continue
        if networks:
            rows.append(
                {"created_at": log.created_at, "user_email": log.user_email, "export": log.export}
            )
    return rows


def _photo_for_download(lid: Lid) -> dict | None:
    # The photo is personal data too: it travels inside the JSON, so one file holds it all.
    if not lid.foto:
        return None
    with lid.foto.open("rb") as photo:
        content = photo.read()
    kind = Lid._meta.get_field("foto").file_kind
    return {"type": kind.content_type, "base64": base64.b64encode(content).decode("ascii")}


def _mail_log_of(user: User, lid: Lid) -> list[dict]:
    mails = _mails_to(user, lid)
    return list(
        mails.values(*(f.name for f in mails.model._meta.concrete_fields if f.name != "id"))
    )


def _mails_to(user: User, lid: Lid | None) -> QuerySet[Verzending]:
    """The mail log rows to this member, also those to an address they had before: what the
    data download shows and what account deletion removes."""
    sent_to_them = Q(ontvanger__iexact=user.email) | (Q(lid=lid) if lid is not None else Q())
    return Verzending.objects.filter(sent_to_them)


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Erase a member: the account, profile and memberships go; what other apps hold is let
    go of by each (registrations: places to come freed, past ones kept as anonymous rows so
    attendance figures stay right); the mail log to them is deleted, and the admin log keeps
    what was done to their records but not their name."""
    lid = Lid.objects.filter(user=user).first()
    if lid is not None:
        _queue_departure_mail(lid)
        _scrub_admin_log(user, lid)
    for holder in holders():
        holder.erase(user, lid)
    bump_content_version()  # the holders' updates send no signal
    if lid is not None:
        lid_photo_remove(lid=lid)
    _mails_to(user, lid).delete()
    user.delete()  # cascades to Lid, Lidmaatschap, allauth's EmailAddress and sessions


def _scrub_admin_log(user: User, lid: Lid) -> None:
    """Admin log entries name their object ("Naam – Netwerk"). Those about this member's
    account, profile, memberships and the holders' rows keep the action, not the name."""
    objects: dict[type[Model], Iterable[int]] = {
        get_user_model(): [user.pk],
        Lid: [lid.pk],
        Lidmaatschap: lid.lidmaatschappen.values_list("pk", flat=True),
    }
    for holder in holders():
        objects.update(holder.logged_objects(lid))
    about_them = Q()
    for model, pks in objects.items():
        about_them |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in pks],
        )
    LogEntry.objects.filter(about_them).update(object_repr=_("(deleted member)"), change_message="")


def _queue_departure_mail(lid: Lid) -> None:
    """Tell the coordinators of the member's networks (pending requests included) that the
    member left the portal. Only the name travels, in the task's arguments: once the
    account is gone nothing in the database may hold it, so the mail log keeps the
    coordinators' addresses and the networks, never the name (see mails.send_departure_mails)."""
    netwerk_ids = list(lid.lidmaatschappen.current().values_list("netwerk_id", flat=True))
    coordinator_ids = list(
        Netwerk.coordinators.through.objects.filter(netwerk_id__in=netwerk_ids)
        .exclude(user_id=lid.user_id)
        .values_list("user_id", flat=True)
        .distinct()
    )
    if not coordinator_ids:
        return
    vertrek = secrets.token_hex(8)  # one departure: a retried task mails nobody twice
    enqueue_on_commit(tasks.send_departure_mails, lid.naam, coordinator_ids, netwerk_ids, vertrek)


# --- The register of personal data (issue 19): what leden keeps, and its retention steps ----


def _delete_memberships(batch: QuerySet) -> int:
    pks = [str(pk) for pk in batch.values_list("pk", flat=True)]
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Lidmaatschap), object_id__in=pks
    ).update(object_repr=_("(deleted join request)"), change_message="")
    return batch.delete()[1].get(Lidmaatschap._meta.label, 0)


def forget_declined_requests(now: datetime) -> int:
    """Declined join requests go a period after the decline (its end date; before that date
    was kept, the request's own)."""
    cutoff = now - timedelta(days=DECLINED_REQUESTS.days)
    declined = Lidmaatschap.objects.filter(status=Lidmaatschap.Status.AFGEWEZEN).filter(
        Q(beeindigd_op__lt=timezone.localdate(cutoff))
        | Q(beeindigd_op__isnull=True, aangevraagd_op__lt=cutoff)
    )
    return in_batches(declined, _delete_memberships)


def unverified_accounts(now: datetime) -> QuerySet[User]:
    """Accounts signed up a period ago whose address was never confirmed and that never
    logged in. Staff and accounts made in the admin (no address record) are not among them."""
    cutoff = now - timedelta(days=UNVERIFIED_ACCOUNTS.days)
    verified = EmailAddress.objects.filter(verified=True).values("user_id")
    signed_up = EmailAddress.objects.values("user_id")
    return User.objects.filter(
        pk__in=signed_up,
        date_joined__lt=cutoff,
        last_login__isnull=True,
        is_staff=False,
        is_superuser=False,
    ).exclude(pk__in=verified)


def _delete_accounts(batch: QuerySet) -> int:
    users = list(batch)
    for user in users:
        account_delete(user=user)
    return len(users)


def forget_unverified_accounts(now: datetime) -> int:
    return in_batches(unverified_accounts(now), _delete_accounts, size=50)


DECLINED_REQUESTS = Retention(
    "declined_requests",
    30,
    starts=gettext_lazy("after the request was declined"),
    action=Action.DELETE,
    apply=forget_declined_requests,
)
UNVERIFIED_ACCOUNTS = Retention(
    "unverified_accounts",
    14,
    starts=gettext_lazy("after signing up, when the address was never confirmed"),
    action=Action.DELETE,
    apply=forget_unverified_accounts,
)
WHILE_MEMBER = gettext_lazy("as long as you have an account; deleted when you delete it")

declare(
    settings.AUTH_USER_MODEL,
    fields=("email", "password"),
    purpose=gettext_lazy("Your account: logging in, and mail about what you asked for."),
    ground=Ground.AGREEMENT,
    seen_by=gettext_lazy("you; coordinators of your networks; staff"),
    retention=UNVERIFIED_ACCOUNTS,
    kept=WHILE_MEMBER,
)
declare(
    "account.EmailAddress",
    fields=("user", "email"),
    purpose=gettext_lazy("Confirming that your e-mail address is yours."),
    ground=Ground.AGREEMENT,
    seen_by=gettext_lazy("you; staff"),
    retention=UNVERIFIED_ACCOUNTS,
    kept=WHILE_MEMBER,
)
declare(
    "mfa.Authenticator",
    fields=("user", "data"),
    purpose=gettext_lazy("Two-step login for coordinators and staff (the secret, never shown)."),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=gettext_lazy("nobody (the portal only)"),
    kept=WHILE_MEMBER,
)
declare(
    "leden.Lid",
    fields=("naam", "organisatie", "sector", "registernummer", "foto", "rol"),
    purpose=gettext_lazy(
        "Your profile: fellow members and coordinators know who you are and where you work."
    ),
    ground=Ground.AGREEMENT,
    seen_by=gettext_lazy(
        "members of your networks (your organisation only if you choose so); coordinators "
        "of your networks; staff"
    ),
    kept=WHILE_MEMBER,
)
declare(
    "leden.Lidmaatschap",
    fields=("lid", "motivatie"),
    purpose=gettext_lazy("Your membership of networks and your request to join them."),
    ground=Ground.AGREEMENT,
    seen_by=gettext_lazy("coordinators of that network; staff"),
    retention=DECLINED_REQUESTS,
    kept=gettext_lazy("while you are a member; a declined request for the period shown"),
)
declare(
    "leden.DigestToestemming",
    fields=("lid", "gevraagd_via", "ingetrokken_via"),
    purpose=gettext_lazy("Proof of your consent to the newsletter digest, and its withdrawal."),
    ground=Ground.CONSENT,
    seen_by=gettext_lazy("staff"),
    kept=WHILE_MEMBER,
)
declare(
    "leden.Mailvoorkeur",
    fields=("lid",),
    purpose=gettext_lazy("Which mails you want from which network."),
    ground=Ground.CONSENT,
    seen_by=gettext_lazy("you; staff"),
    kept=WHILE_MEMBER,
)
