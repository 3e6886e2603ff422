"""The register of personal data (AVG art. 30): every model field that holds personal data,
declared once, with its purpose, its legal ground, who sees it and how long it is kept.

Portal imports no app, so each app declares its own fields from its `privacy` module (which
portal's start-up imports, see `portal.apps`). The privacy statement, the processing record
and the nightly retention job all read this one register, so what the portal says it keeps
and what it forgets are the same numbers.

A retention period is a setting: `settings.RETENTION_DAYS[key]` when set, else the declared
default. `apply` is the app's own step that forgets what has expired (anonymise or delete, in
batches, idempotent); it takes the moment "now" and returns how many rows it changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

Text = str | Promise  # a string, or one marked for translation (read in the reader's language)

BATCH_SIZE = 500  # rows one retention step changes per transaction


class Ground(models.TextChoices):
    """The legal ground (AVG art. 6(1)) for keeping a field."""

    CONSENT = "consent", _("consent")
    AGREEMENT = "agreement", _("an agreement with you (your membership or registration)")
    LEGAL_OBLIGATION = "legal", _("a legal obligation")
    LEGITIMATE_INTEREST = "interest", _("a legitimate interest")


class Action(models.TextChoices):
    ANONYMISE = "anonymise", _("anonymised")
    DELETE = "delete", _("deleted")


@dataclass(frozen=True)
class Retention:
    """How long a field is kept: a period in days (a setting), counted from an event."""

    key: str  # settings.RETENTION_DAYS[key] overrides default_days
    default_days: int
    starts: Text  # what the period counts from, e.g. _("after the meeting")
    action: Action
    apply: Callable[[datetime], int] | None = None  # the nightly step; rows changed

    @property
    def days(self) -> int:
        return int(getattr(settings, "RETENTION_DAYS", {}).get(self.key, self.default_days))


@dataclass(frozen=True)
class Entry:
    model: str  # "app_label.ModelName"
    fields: tuple[str, ...]
    purpose: Text
    ground: Ground
    seen_by: Text
    retention: Retention | None = None
    kept: Text = ""  # when there is no period: how long, in words (e.g. "while a member")
    extra: dict = field(default_factory=dict)


_entries: list[Entry] = []


def declare(
    model: str,
    *,
    fields: tuple[str, ...] | list[str],
    purpose: Text,
    ground: Ground,
    seen_by: Text,
    retention: Retention | None = None,
    kept: Text = "",
) -> Entry:
    """Put a model's personal fields in the register (once per model and field)."""
    if retention is None and not kept:
        raise ImproperlyConfigured(f"{model}: say how long {fields} are kept")
    declared = {(e.model, f) for e in _entries for f in e.fields}
    for name in fields:
        if (model, name) in declared:
            raise ImproperlyConfigured(f"{model}.{name} is declared twice")
    entry = Entry(model, tuple(fields), purpose, ground, seen_by, retention, kept)
    _entries.append(entry)
    return entry


def entries() -> list[Entry]:
    return list(_entries)


def retentions() -> list[Retention]:
    """Every distinct retention rule, once (several entries may share one), by key."""
    seen: dict[str, Retention] = {}
    for entry in _entries:
        if entry.retention is not None:
            seen.setdefault(entry.retention.key, entry.retention)
    return sorted(seen.values(), key=lambda rule: rule.key)


def declared_fields() -> set[tuple[str, str]]:
    """("app_label.Model", field name) of every declared field: what the coverage test reads."""
    return {(e.model.lower(), name) for e in _entries for name in e.fields}


def in_batches(queryset: QuerySet, forget: Callable[[QuerySet], int], size: int = 0) -> int:
    """Apply `forget` to the rows of `queryset` a batch at a time, each batch its own
    transaction, and return how many rows it changed.

    `queryset` must select only what is still to forget, and `forget` must take a row out of it
    (blank the name, set a flag, delete it): so a run broken off by a crash leaves finished
    batches done and the next run picks up the rest, and a second run changes nothing."""
    size = size or BATCH_SIZE
    total = 0
    while True:
        pks = list(queryset.order_by("pk").values_list("pk", flat=True)[:size])
        if not pks:
            return total
        with transaction.atomic():
            changed = forget(queryset.model._default_manager.filter(pk__in=pks))
        total += changed
        if changed < len(pks):  # `forget` left rows in the queryset: stop, not loop forever
            return total


def period_text(retention: Retention) -> str:
    """ "deleted 30 days after the request was declined": the rule in words, with the very
    number of days the nightly job uses."""
    if retention.days == 0:
        period = str(_("at once"))
    else:
        period = ngettext("%(days)d day", "%(days)d days", retention.days) % {
            "days": retention.days
        }
    return str(
        _("%(action)s %(period)s %(starts)s")
        % {"action": retention.action.label, "period": period, "starts": retention.starts}
    )


@dataclass(frozen=True)
class Described:
    """A register entry in words, in the reader's language: the privacy statement's row and
    the processing record's."""

    entry: Entry
    what: str  # the model's name
    fields: list[str]  # the fields' names
    ground: str
    period: str  # the retention rule in words, or ""
    kept: str


def described() -> list[Described]:
    """Every entry of the register in words, ordered by app and model."""
    rows = []
    for entry in sorted(_entries, key=lambda e: e.model.lower()):
        model = apps.get_model(entry.model)
        names = []
        for name in entry.fields:
            field = model._meta.get_field(name)
            names.append(str(getattr(field, "verbose_name", name)))
        rows.append(
            Described(
                entry=entry,
                what=str(capfirst(model._meta.verbose_name_plural)),
                fields=names,
                ground=str(Ground(entry.ground).label),
                period=period_text(entry.retention) if entry.retention else "",
                kept=str(entry.kept),
            )
        )
    return rows
