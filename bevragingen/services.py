"""Writes of surveys: begin a response, save answers as the respondent goes, submit once,
confirm an e-mail address, tag open answers.

The respondent is known only by the random token in their cookie (stored as a hash): the
same device can resume. Saving an answer replaces that question's earlier answer, so a
save sent twice (a retry after a lost connection) changes nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Antwoord, Bevraging, Deelname, Emailbevestiging, Label, Respons, Vraag

MAX_TEXT = 5000
MAX_NUMBER = 1_000_000


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AlreadyResponded(Exception):
    """This person has already sent a response to a one-per-person survey."""


def respons_for_token(bevraging: Bevraging, token: str | None) -> Respons | None:
    if not token:
        return None
    return Respons.objects.filter(bevraging=bevraging, sleutel_hash=token_hash(token)).first()


def respons_begin(*, bevraging: Bevraging, token: str) -> Respons:
    """The response this token stands for, begun now if new. Two saves racing with the same
    token meet on the unique hash: one response."""
    if len(token) < 20:
        raise ValidationError(_("This link is not valid."))
    respons, _created = Respons.objects.get_or_create(
        sleutel_hash=token_hash(token), defaults={"bevraging": bevraging}
    )
    if respons.bevraging_id != bevraging.pk:
        raise ValidationError(_("This link is not valid."))
    return respons


def _parse(vraag: Vraag, values: Sequence[str], option_ids: set[int]) -> list[Antwoord]:
    values = [v.strip() for v in values if v and v.strip()]
    if not values:
        return []
    soort = vraag.soort
    if soort in (Vraag.Soort.EEN, Vraag.Soort.MEER):
        if soort == Vraag.Soort.EEN and len(values) > 1:
            raise ValidationError(_("Choose one answer."))
        try:
            chosen = {int(v) for v in values}
        except ValueError:
            raise ValidationError(_("Choose one of the answers.")) from None
        if not chosen <= option_ids:
            raise ValidationError(_("Choose one of the answers."))
        return [Antwoord(vraag=vraag, optie_id=pk) for pk in sorted(chosen)]
    if len(values) > 1:
        raise ValidationError(_("Give one answer."))
    if soort in (Vraag.Soort.SCHAAL, Vraag.Soort.GETAL):
        try:
            number = int(values[0])
        except ValueError:
            raise ValidationError(_("Enter a whole number.")) from None
        if soort == Vraag.Soort.SCHAAL and not 1 <= number <= 5:
            raise ValidationError(_("Choose a value from 1 to 5."))
        if abs(number) > MAX_NUMBER:
            raise ValidationError(_("Enter a smaller number."))
        return [Antwoord(vraag=vraag, getal=number)]
    if len(values[0]) > MAX_TEXT:
        raise ValidationError(_("Keep your answer under %(max)s characters.") % {"max": MAX_TEXT})
    return [Antwoord(vraag=vraag, tekst=values[0])]


def _check_writable(respons: Respons) -> None:
    if respons.afgerond:
        raise ValidationError(_("This response has already been sent."))
    if not respons.bevraging.is_open:
        raise ValidationError(_("This survey is closed."))


@transaction.atomic
def answers_save(
    *, respons: Respons, answers: Mapping[int, Sequence[str]], questions: Iterable[Vraag]
) -> dict[int, str]:
    """Save the posted answers to these questions (an empty answer clears one); return the
    errors by question id. Valid answers are saved even when others have errors."""
    _check_writable(respons)
    questions = [q for q in questions if q.pk in answers]
    errors: dict[int, str] = {}
    new: list[Antwoord] = []
    saved: list[int] = []
    for vraag in questions:
        try:
            rows = _parse(vraag, answers[vraag.pk], {o.pk for o in vraag.opties.all()})
        except ValidationError as error:
            errors[vraag.pk] = error.messages[0]
            continue
        saved.append(vraag.pk)
        for row in rows:
            row.respons = respons
            new.append(row)
    if saved:
        Antwoord.objects.filter(respons=respons, vraag_id__in=saved).delete()
        Antwoord.objects.bulk_create(new)
    return errors


def missing_required(respons: Respons, questions: Iterable[Vraag]) -> list[int]:
    answered = set(respons.antwoorden.values_list("vraag_id", flat=True))
    return [q.pk for q in questions if q.verplicht and q.pk not in answered]


@transaction.atomic
def respons_submit(*, respons: Respons, questions: Iterable[Vraag], user=None) -> list[int]:
    """Send the response: the required questions left open (nothing is sent then), or []
    once sent. On a one-per-person members' survey the member is noted as having responded
    (apart from the answers); a second response of theirs is refused."""
    _check_writable(respons)
    missing = missing_required(respons, questions)
    if missing:
        return missing
    bevraging = respons.bevraging
    if bevraging.een_per_persoon and bevraging.doelgroep == Bevraging.Doelgroep.LEDEN:
        try:
            with transaction.atomic():
                Deelname.objects.create(bevraging=bevraging, user=user)
        except IntegrityError:
            raise AlreadyResponded from None
    # Conditional: a submit sent twice marks the response once.
    Respons.objects.filter(pk=respons.pk, afgerond=False).update(afgerond=True)
    respons.afgerond = True
    return []


def has_responded(bevraging: Bevraging, user) -> bool:
    return (
        bevraging.een_per_persoon
        and user.is_authenticated
        and Deelname.objects.filter(bevraging=bevraging, user=user).exists()
    )


@transaction.atomic
def emailbevestiging_request(*, bevraging: Bevraging, email: str) -> str | None:
    """Note an address for an open one-per-person survey; the token for its confirmation
    link, or None when the address was used before (the caller answers the same anyway)."""
    email = email.strip().lower()
    token = new_token()
    try:
        with transaction.atomic():
            Emailbevestiging.objects.create(
                bevraging=bevraging, email=email, sleutel_hash=token_hash(token)
            )
    except IntegrityError:
        unused = Emailbevestiging.objects.filter(bevraging=bevraging, email=email, gebruikt=False)
        if not unused.update(sleutel_hash=token_hash(token), aangevraagd_op=timezone.now()):
            return None
    return token


def emailbevestiging_pending(*, bevraging: Bevraging, token: str) -> bool:
    return Emailbevestiging.objects.filter(
        bevraging=bevraging, sleutel_hash=token_hash(token), gebruikt=False
    ).exists()


@transaction.atomic
def emailbevestiging_use(*, bevraging: Bevraging, token: str) -> str | None:
    """Use a confirmation link once: a new response token, not linked to the address."""
    claimed = Emailbevestiging.objects.filter(
        bevraging=bevraging, sleutel_hash=token_hash(token), gebruikt=False
    ).update(gebruikt=True)
    if not claimed:
        return None
    respons_token = new_token()
    Respons.objects.create(bevraging=bevraging, sleutel_hash=token_hash(respons_token))
    return respons_token


@transaction.atomic
def antwoord_tag(*, antwoord: Antwoord, names: Iterable[str]) -> None:
    """Set an open answer's tags (created in its survey as needed)."""
    clean = sorted({n.strip()[:60] for n in names if n.strip()})
    bevraging_id = antwoord.vraag.bevraging_id
    labels = []
    for name in clean:
        label, _created = Label.objects.get_or_create(bevraging_id=bevraging_id, naam=name)
        labels.append(label)
    antwoord.labels.set(labels)


def responses_bulk_create(
    *, bevraging: Bevraging, responses: Iterable[Mapping[int, Sequence[object]]], batch: int = 5000
) -> int:
    """Store complete responses in bulk (demo data, benchmarks, an import from a paper or
    an earlier tool): each a mapping of question id to its values (option ids, a number or
    a text). Not for respondents: their answers go through `answers_save`. Returns how many."""
    questions = {q.pk: q for q in bevraging.vragen.all()}
    count = 0
    pending: list[tuple[Respons, Mapping[int, Sequence[object]]]] = []

    def flush() -> None:
        rows = Respons.objects.bulk_create([r for r, _a in pending], batch_size=batch)
        answers: list[Antwoord] = []
        for respons, (_r, given) in zip(rows, pending, strict=True):
            for vraag_id, values in given.items():
                soort = questions[vraag_id].soort
                for value in values:
                    row = Antwoord(respons=respons, vraag_id=vraag_id)
                    if soort in (Vraag.Soort.EEN, Vraag.Soort.MEER):
                        row.optie_id = int(str(value))
                    elif soort == Vraag.Soort.OPEN:
                        row.tekst = str(value)
                    else:
                        row.getal = int(str(value))
                    answers.append(row)
        Antwoord.objects.bulk_create(answers, batch_size=batch)
        pending.clear()

    day = timezone.localtime(bevraging.opent_op).date()
    for given in responses:
        pending.append(
            (
                Respons(
                    bevraging=bevraging,
                    sleutel_hash=token_hash(new_token()),
                    begonnen_op=day,
                    afgerond=True,
                ),
                given,
            )
        )
        count += 1
        if len(pending) >= 1000:
            flush()
    if pending:
        flush()
    return count
