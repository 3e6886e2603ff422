"""Every admin changelist and change page opens, for objects with every optional field filled
(a member with a photo, a network with a logo, a meeting with materials and links), as staff
and as a coordinator: staff see every page, a coordinator their network's rows or a refusal,
never a server error."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from actieplannen import services as plan_services
from bevragingen.models import Bevraging, Sectie, Vraag
from contact.models import Contactbericht
from nieuwsbrief.models import Abonnee, Abonnement
from tests import factories
from tests.accountfixtures import give_totp
from tests.leden.test_accounts_photo import jpeg_with_gps
from tests.portal.test_uploads import pdf_bytes
from themas.models import Reactie, Themaronde, Themavoorstel

pytestmark = pytest.mark.django_db


def _filled_network_rows(netwerk, member, *, photos: bool) -> dict:
    """One row of every network-scoped model, optional fields filled, owned by `netwerk`."""
    from berichten.models import Verzending
    from bijeenkomsten.models import Materiaal
    from leden import photos as leden_photos
    from leden.models import DigestToestemming, Mailvoorkeur
    from netwerken.models import Partnerorganisatie

    lid = member.lid
    lid.organisatie, lid.sector, lid.registernummer = "Wijkteam", "Zorg", "BPSW-123"
    lid.bpsw_lid = lid.toon_organisatie = lid.toon_email = True
    lid.save()
    if photos:
        leden_photos.lid_photo_set(
            lid=lid, upload=SimpleUploadedFile("foto.jpg", jpeg_with_gps((200, 200)))
        )
    partner = Partnerorganisatie.objects.create(
        naam=f"Hogeschool {netwerk.slug}", soort="hogeschool", website="https://example.org/"
    )
    netwerk.beschrijving, netwerk.contact_email = "Beschrijving", f"{netwerk.slug}@example.org"
    netwerk.opgericht_in, netwerk.vaste_weekdag, netwerk.vaste_aanvang = 2015, 2, time(15, 0)
    netwerk.logo.save("logo.jpg", ContentFile(jpeg_with_gps((100, 100))), save=False)
    netwerk.save()
    netwerk.partners.add(partner)
    programma = factories.HalfjaarprogrammaFactory(
        netwerk=netwerk, gepubliceerd=True, toelichting="Toelichting", jaar=2028, helft=2
    )
    begin = timezone.now() + timedelta(days=10)
    bijeenkomst = factories.BijeenkomstFactory(
        netwerken=[netwerk],
        programma=programma,
        thema="Thema",
        adres="Straat 1",
        online_link="https://example.org/meet",
        capaciteit=20,
        aanmelden_verplicht=True,
        aanmelden_tot=begin - timedelta(days=1),
        beschrijving="Beschrijving",
        verslag="Verslag",
        begin=begin,
        einde=begin + timedelta(hours=2),
    )
    onderdeel = factories.ProgrammaonderdeelFactory(
        bijeenkomst=bijeenkomst,
        sprekers="Spreker",
        begintijd=time(15, 0),
        eindtijd=time(16, 0),
        beschrijving="Onderdeel",
    )
    materiaal = Materiaal(bijeenkomst=bijeenkomst, soort="slides", titel="Dia's", tekst="Tekst")
    materiaal.url = "https://example.org/dias"
    materiaal.pdf.save("dias.pdf", ContentFile(pdf_bytes()), save=False)
    materiaal.save()
    aanmelding = factories.AanmeldingFactory(bijeenkomst=bijeenkomst, lid=lid)
    lidmaatschap = lid.lidmaatschappen.get(netwerk=netwerk)
    lidmaatschap.motivatie, lidmaatschap.lid_sinds = "Motivatie", date(2020, 1, 1)
    lidmaatschap.save()
    verzending = Verzending.objects.create(
        ontvanger=member.email,
        soort="aangemeld",
        bijeenkomst=bijeenkomst,
        lid=lid,
        sleutel=f"crawl-{netwerk.slug}",
        gegevens={"onderwerp": "Aangemeld"},
        fout="Eerdere poging mislukt",
        verzonden_op=timezone.now(),
    )
    toestemming = DigestToestemming.objects.create(
        lid=lid,
        frequentie="wekelijks",
        tekst="Ja, stuur me de digest",
        gevraagd_via="profiel",
        bevestigd_op=timezone.now(),
        ingetrokken_op=timezone.now(),
        ingetrokken_via="link",
    )
    voorkeur = Mailvoorkeur.objects.create(
        lid=lid,
        netwerk=netwerk,
        herinneringen=False,
        nieuwsbrief="maandelijks",
        gewijzigd_op=timezone.now(),
    )
    ronde = Themaronde.objects.create(
        netwerk=netwerk,
        jaar=2028,
        helft=2,
        voorstellen_tot=begin - timedelta(days=40),
        stemmen_tot=begin - timedelta(days=20),
        gesloten_op=begin - timedelta(days=20),
    )
    voorstel = Themavoorstel.objects.create(
        ronde=ronde, titel="Thema", waarom="Waarom", vorm="casuistiek", indiener=lid, gekozen_als=1
    )
    Themavoorstel.objects.create(
        ronde=ronde, titel="Dubbel thema", waarom="Waarom", indiener=lid, samengevoegd_in=voorstel
    )
    reactie = Reactie.objects.create(voorstel=voorstel, lid=lid, tekst="Goed thema")
    abonnee = Abonnee.objects.create(
        email=f"volger.{netwerk.slug}@example.org",
        tekst="Ik wil de nieuwsbrief",
        gevraagd_via="nieuwsbrief-formulier",
        bevestigd_op=timezone.now(),
        user=member,
    )
    Abonnement.objects.create(abonnee=abonnee, netwerk=netwerk, bevestigd_op=timezone.now())
    Abonnement.objects.create(abonnee=abonnee, koepel=netwerk.koepel)
    contactbericht = Contactbericht.objects.create(
        netwerk=netwerk,
        naam="Sam Vrager",
        email="sam@example.org",
        bericht="Mag ik eens komen kijken?",
        wil_meedoen=True,
        ontvangers="coordinatoren",
        aantal_ontvangers=1,
    )
    bevraging = Bevraging.objects.create(
        netwerk=netwerk,
        titel="Wat heb je nodig?",
        opent_op=begin - timedelta(days=400),
        sluit_op=timezone.now() + timedelta(days=30),
    )
    vraag = Vraag.objects.create(
        bevraging=bevraging,
        sectie=Sectie.objects.create(bevraging=bevraging, titel="Deel 1"),
        tekst="Wat wil je nog kwijt?",
        soort="open",
        verplicht=False,
    )
    plan = plan_services.plan_create(
        netwerk=netwerk, titel="Actieplan", inleiding="Inleiding", vastgesteld_op=date(2020, 10, 1)
    )
    uitdaging = plan_services.challenge_create(
        plan=plan,
        titel="Onderbescherming",
        toelichting="Toelichting",
        subregio=netwerk.subregios.create(naam=f"Subregio {netwerk.slug}"),
    )
    actiepunt = plan_services.action_point_create(
        uitdaging=uitdaging,
        titel="World Social Work Day",
        doel="Doel",
        status="lopend",
        nummer=1,
        trekkers=[lid],
        bijeenkomsten=[bijeenkomst],
        door=member,
    )
    plan_services.progress_add(actiepunt=actiepunt, tekst="Voortgang", auteur=lid, door=member)
    return {
        "nieuwsbrief.abonnee": abonnee,
        "contact.contactbericht": contactbericht,
        "bevragingen.bevraging": bevraging,
        "bevragingen.vraag": vraag,
        "actieplannen.actieplan": plan,
        "actieplannen.uitdaging": uitdaging,
        "actieplannen.actiepunt": actiepunt,
        "actieplannen.wijziging": plan.wijzigingen.latest("op", "pk"),
        "themas.themaronde": ronde,
        "themas.themavoorstel": voorstel,
        "themas.reactie": reactie,
        "netwerken.netwerk": netwerk,
        "netwerken.partnerorganisatie": partner,
        "bijeenkomsten.halfjaarprogramma": programma,
        "bijeenkomsten.bijeenkomst": bijeenkomst,
        "bijeenkomsten.programmaonderdeel": onderdeel,
        "bijeenkomsten.materiaal": materiaal,
        "bijeenkomsten.aanmelding": aanmelding,
        "leden.lidmaatschap": lidmaatschap,
        "leden.lid": lid,
        "leden.user": member,
        "berichten.verzending": verzending,
        "leden.digesttoestemming": toestemming,
        "leden.mailvoorkeur": voorkeur,
    }


def filled_admin_objects(
    *, twente, rotterdam, kern_twente, lid_rotterdam, staff, photos: bool = True
) -> dict:
    """{model label: {"twente": obj, "rotterdam": obj}} for every model in the admin."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.utils import timezone

    from portal.models import ExportLog, Inzage, RetentionLog

    rows = {
        "twente": _filled_network_rows(twente, kern_twente, photos=photos),
        "rotterdam": _filled_network_rows(rotterdam, lid_rotterdam, photos=photos),
    }
    koepel = twente.koepel
    koepel.afkorting, koepel.website = "BPSW", "https://example.org/"
    koepel.save()
    group = Group.objects.create(name="Koepelstaf")
    group.permissions.add(Permission.objects.get(codename="alle_netwerken"))
    shared = {
        "netwerken.koepel": koepel,
        "auth.group": group,
        "sites.site": Site.objects.get_current(),
        "account.emailaddress": EmailAddress.objects.update_or_create(
            user=kern_twente, email=kern_twente.email, defaults={"verified": True, "primary": True}
        )[0],
        "mfa.authenticator": Authenticator.objects.get(user=staff, type="totp"),
        "portal.exportlog": ExportLog.objects.create(
            user=staff,
            user_email=staff.email,
            export="leden",
            format="csv",
            source="admin",
            filters={"netwerk": [twente.pk]},
            rows=3,
        ),
        "portal.retentionlog": RetentionLog.objects.create(
            run_at=timezone.now(), rule="guest_registrations", days=91, rows=2
        ),
        "portal.inzage": Inzage.objects.create(
            viewer=staff, viewer_email=staff.email, subject=kern_twente, waar="admin", what="x"
        ),
    }
    objects = {
        label: {"twente": row, "rotterdam": rows["rotterdam"][label]}
        for label, row in rows["twente"].items()
    }
    objects.update({label: {"twente": obj, "rotterdam": obj} for label, obj in shared.items()})
    return objects


ADMIN_LABELS = sorted(model._meta.label_lower for model in admin.site._registry)
CRAWLED = ADMIN_LABELS


@pytest.fixture
def filled(twente, rotterdam, kern_twente, lid_rotterdam, staff, coordinator_twente) -> dict:
    return filled_admin_objects(
        twente=twente,
        rotterdam=rotterdam,
        kern_twente=kern_twente,
        lid_rotterdam=lid_rotterdam,
        staff=staff,
    )


def _urls(label: str, obj) -> dict[str, str]:
    app, model = label.split(".")
    return {
        "changelist": reverse(f"admin:{app}_{model}_changelist"),
        "change": reverse(f"admin:{app}_{model}_change", args=[obj.pk]),
    }


def test_every_model_in_the_admin_has_a_filled_object(filled):
    assert set(filled) == set(ADMIN_LABELS)


@pytest.mark.parametrize("label", CRAWLED)
def test_staff_open_every_changelist_and_change_page(client, staff, filled, label):
    client.force_login(staff)
    for network in ("twente", "rotterdam"):
        for view, url in _urls(label, filled[label][network]).items():
            response = client.get(url)
            assert response.status_code == 200, f"{view} {url}: {response.status_code}"


@pytest.mark.parametrize("label", CRAWLED)
def test_coordinator_opens_own_pages_and_is_refused_elsewhere(
    client, coordinator_twente, filled, label
):
    give_totp(coordinator_twente)
    client.force_login(coordinator_twente)
    changelist = client.get(_urls(label, filled[label]["twente"])["changelist"])
    assert changelist.status_code in (200, 403)
    own = client.get(_urls(label, filled[label]["twente"])["change"]).status_code
    other = client.get(_urls(label, filled[label]["rotterdam"])["change"]).status_code
    if changelist.status_code == 200:  # a model coordinators manage: their rows only
        assert own == 200
        assert other == 404
    else:
        assert own == other == 403
