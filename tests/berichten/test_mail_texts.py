"""Every mail kind, rendered for a member and a guest through the real flows, reads as text a
person wrote: no model reprs, no "None", no empty placeholder, no untranslated source string."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from berichten.models import Verzending
from bijeenkomsten import reminders, services
from bijeenkomsten import tasks as meeting_tasks
from contact import services as contact_services
from leden import digest_consent
from leden import privacy as leden_privacy
from leden import services as leden_services
from meldpunt import services as meldpunt_services
from meldpunt import tasks as meldpunt_tasks
from nieuwsbrief import services as nieuwsbrief_services
from nieuwsbrief import tasks as nieuwsbrief_tasks
from tests import factories, mailfixtures
from tests.berichten.test_mail import consent, next_monday_morning
from tests.bevragingen.conftest import build_survey
from tests.mailfixtures import html_part, text_part
from tests.meldpunt.conftest import committee_user
from tests.themas.conftest import open_round, propose, start_voting
from themas import services as theme_services
from themas import tasks as theme_tasks
from themas.models import Datumpeiling

pytestmark = pytest.mark.django_db
# Every kind of mail: one per template in templates/emails, and allauth's account mails.
MAIL_KINDS = {
    path.name.removesuffix("_subject.txt")
    for path in (settings.BASE_DIR / "templates" / "emails").glob("*_subject.txt")
} | {"account"}
smtp_server, smtp, eager_celery = (
    mailfixtures.smtp_server,
    mailfixtures.smtp,
    mailfixtures.eager_celery,
)

DEFECTS = [
    (re.compile(r"<[A-Z]\w+: "), "a model's repr"),
    (re.compile(r"\[<|\[\]"), "a Python list"),
    (re.compile(r"\bNone\b"), "None"),
    (re.compile(r"\{\{|\}\}|\{%|%\}"), "template syntax"),
    (re.compile(r"%\(\w+\)s"), "an unfilled placeholder"),
    # A label followed by an empty line (text part; in HTML the value is in the next element).
    (re.compile(r"(?m)^[^\n:<>]{2,40}:[ \t]*\n[ \t]*(\n|$)"), "a label with nothing after it"),
    (re.compile(r"\(\s*\)"), "empty parentheses"),
]


def _source_strings() -> set[str]:
    """The English source strings of the portal's catalogue that have a Dutch translation
    different from themselves: seeing one in a mail means it went out untranslated."""
    po = Path(settings.BASE_DIR / "locale" / "nl" / "LC_MESSAGES" / "django.po").read_text()
    found = set()
    for msgid, msgstr in re.findall(r'\nmsgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', po):
        english = "".join(re.findall(r'"(.*)"', msgid))
        dutch = "".join(re.findall(r'"(.*)"', msgstr))
        if len(english) >= 14 and dutch and dutch != english and "%(" not in english:
            found.add(english.replace('\\"', '"'))
    return found


def _every_kind(smtp, capture, twente, rotterdam, coordinator_twente, kern_twente):
    """Drive each mail kind through its real service; returns when all have been sent."""
    soon = timezone.now() + timedelta(days=10)
    meeting = factories.BijeenkomstFactory(
        titel="Ethiek & privacy",
        netwerken=[twente],
        capaciteit=2,
        begin=soon,
        adres="Hengelosestraat 1, Enschede",
    )
    guest_meeting = factories.BijeenkomstFactory(titel="Open avond", netwerken=[twente], begin=soon)
    second = factories.LidmaatschapFactory(netwerk=twente, schil="betrokken").lid
    third = factories.LidmaatschapFactory(netwerk=twente, schil="betrokken").lid
    with capture(execute=True):
        services.registration_create(bijeenkomst_id=meeting.pk, lid=kern_twente.lid)  # aangemeld
        services.registration_create(bijeenkomst_id=meeting.pk, lid=second)
        waiting = services.registration_create(bijeenkomst_id=meeting.pk, lid=third)  # wachtlijst
        guest = services.registration_create(  # gast_bevestigen
            bijeenkomst_id=guest_meeting.pk,
            gast_naam="Gast Gastmans",
            gast_email="gast@example.org",
        )
    with capture(execute=True):
        services.registration_confirm_guest(aanmelding_id=guest.pk)  # aangemeld, to a guest
        services.registration_cancel(
            aanmelding_id=meeting.aanmeldingen.get(lid=second).pk
        )  # doorgeschoven, for the waiting one
    assert waiting.pk
    reminders.send_due_reminders(now=soon - timedelta(days=6))  # herinnering, member and guest
    later = guest_meeting.begin + timedelta(days=7)
    with capture(execute=True):
        services.meeting_move(  # gewijzigd, to the guest
            bijeenkomst=guest_meeting, begin=later, einde=later + timedelta(hours=2)
        )
        services.meeting_cancel(bijeenkomst_id=meeting.pk)  # geannuleerd
    applicant = factories.LidFactory(naam="Nieuwe Collega")
    declined = factories.LidFactory(naam="Andere Collega")
    with capture(execute=True):
        ask = leden_services.membership_request(
            lid=applicant, netwerk_id=twente.pk, schil="kern", motivatie="Graag"
        )
        leden_services.membership_accept(lidmaatschap_id=ask.pk, schil="kern")  # geaccepteerd
        no = leden_services.membership_request(
            lid=declined, netwerk_id=twente.pk, schil="kern", motivatie="Graag"
        )
        leden_services.membership_decline(  # afgewezen
            lidmaatschap_id=no.pk, message="We zitten vol; probeer het na de zomer."
        )
        leden_services.membership_tier_request(lid=second, netwerk_id=twente.pk, schil="kern")
        leden_services.membership_tier_accept(  # schil_besluit
            lidmaatschap_id=second.lidmaatschappen.get(netwerk=twente).pk
        )
        digest_consent.digest_request(lid=kern_twente.lid, frequentie="wekelijks", via="test")
    now = next_monday_morning()
    factories.BijeenkomstFactory(
        titel="Intervisie Hengelo", netwerken=[twente], begin=now + timedelta(days=3)
    )
    consent(third)
    with capture(execute=True):
        meeting_tasks.queue_digests(now=now)  # digest
    leaving = factories.LidmaatschapFactory(netwerk=twente, schil="kern").lid
    with capture(execute=True):
        leden_privacy.account_delete(user=leaving.user)  # lid_vertrokken, to coordinators
    with capture(execute=True):  # themaronde_geopend, themavoorstel_samengevoegd
        ronde = open_round(twente)
        dup, keep = propose(ronde, ["Meldcode", "De herziene meldcode"])
        theme_services.proposal_merge(voorstel=dup, into=keep)
    start_voting(ronde, days_left=1)
    with capture(execute=True):
        theme_tasks.run_rounds()  # themaronde_stemherinnering
        theme_tasks.run_rounds(now=ronde.stemmen_tot)  # themaronde_uitslag
    with capture(execute=True):  # datumpeiling_herinnering
        Datumpeiling.objects.create(ronde=ronde, sluit_op=timezone.now() + timedelta(days=1))
        theme_tasks.run_date_polls()
    with capture(execute=True):  # nieuwsbrief_bevestigen, nieuwsbrief_digest, contactbericht
        volger = nieuwsbrief_services.subscription_request(
            email="volger@example.org", netwerk_ids=[twente.pk], tekst="t", via="test"
        )
        nieuwsbrief_services.subscription_confirm(abonnee_id=volger.pk)
        nieuwsbrief_tasks.queue_subscriber_digests(now=now)
        contact_services.contact_message_send(
            netwerk_id=twente.pk,
            naam="Sam Vrager",
            email="sam@example.org",
            bericht="Mag ik een keer komen kijken?",
            wil_meedoen=True,
        )
    with capture(execute=True):  # bevraging_bevestigen
        from django.test import Client

        survey = build_survey(twente, questions=1, een_per_persoon=True)
        Client().post(
            reverse("bevragingen:invullen", args=[survey.sleutel]),
            {"actie": "email", "email": "respondent@example.org"},
        )
    with capture(execute=True):  # meldpunt_nieuw
        committee_user("commissie@example.org")
        meldpunt_services.report_create(tekst="Een zorg over geheimhouding")
        meldpunt_tasks.notify()
    with capture(execute=True):  # account: allauth's mail through the outbox
        from django.test import Client

        Client().post(reverse("account_reset_password"), {"email": kern_twente.email})


def _html(message) -> str:
    """The HTML part, or "" for a mail without one (allauth's own text-only mails)."""
    return html_part(message) if message.get_body(preferencelist=("html",)) else ""


def test_every_mail_kind_reads_as_written_text(
    smtp,
    eager_celery,
    django_capture_on_commit_callbacks,
    twente,
    rotterdam,
    coordinator_twente,
    kern_twente,
):
    _every_kind(
        smtp, django_capture_on_commit_callbacks, twente, rotterdam, coordinator_twente, kern_twente
    )
    sent = set(Verzending.objects.values_list("soort", flat=True))
    assert sent == MAIL_KINDS, MAIL_KINDS - sent
    guest_mails = smtp.to("gast@example.org")
    assert len(guest_mails) >= 3  # confirmation link, registered, reminder, moved
    english = _source_strings()
    assert len(english) > 100  # the check reads the real catalogue
    problems = []
    for message in smtp.messages:
        subject = str(message["Subject"])
        for part_name, body in (
            ("subject", subject),
            ("text", text_part(message)),
            ("html", re.sub(r"<[^>]+>", " ", _html(message))),
        ):
            for pattern, what in DEFECTS:
                hit = pattern.search(body)
                if hit:
                    problems.append((subject, part_name, what, hit.group(0)))
            for source in english:
                if source in body:
                    problems.append((subject, part_name, "untranslated", source))
    assert problems == []
