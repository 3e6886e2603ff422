"""Every member-facing URL × every role → the expected status code.

404 where an object must stay hidden (the same answer as for one that does not exist), 302 to
the login page where a login is required, 403 where a logged-in person lacks a right that is
no secret (the export page). The last test walks the URL resolver and fails when a named URL
outside allauth has no row here (Django's admin URLs included), so none can be forgotten.

Two more roles are a coordinator and a staff member who have not activated TOTP: their rights
wait for it (netwerken.permissions), so they answer like plain members, are sent to the
activation wherever elevated rights are needed, and no response shows them anyone else's
e-mail address or name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from leden import photos as leden_photos
from leden import services as leden_services
from meldpunt import services as meldpunt_services
from portal.models import ExportJob, ExportLog, export_storage
from tests import factories
from tests.conftest import ROLES
from tests.leden.test_accounts_photo import jpeg_with_gps
from tests.portal.test_admin_crawl import filled_admin_objects

pytestmark = pytest.mark.django_db

LOGIN = "login"  # 302 to the login page
ADMIN_LOGIN = "admin login"  # 302 to the admin's login page
TOTP = "totp"  # 302 to the activation of two-step verification
NEWSLETTER = "newsletter"  # 302 to the newsletter without an account (no login page)
WITHOUT_TOTP = ["coordinator_no_totp", "staff_no_totp"]
MATRIX_ROLES = [*ROLES, *WITHOUT_TOTP]


def roles(anon, rotterdam, betrokken, kern, coordinator, staff, coord_no_totp, staff_no_totp):
    """The last two: Twente's coordinator (a core member) and staff (no membership), no TOTP."""
    codes = (anon, rotterdam, betrokken, kern, coordinator, staff, coord_no_totp, staff_no_totp)
    return dict(zip(MATRIX_ROLES, codes, strict=True))


def everyone(code) -> dict:
    return dict.fromkeys(MATRIX_ROLES, code)


def members(code, *, anon=LOGIN) -> dict:
    """Login required; every logged-in role (all have a member profile) gets `code`."""
    return roles(anon, code, code, code, code, code, code, code)


OPEN = everyone(200)
MEMBERS_ONLY = roles(404, 200, 200, 200, 200, 200, 200, 404)  # active member of any network
# An organising network's members, both tiers (not a member of another network).
NETWORK_TWENTE = roles(404, 404, 200, 200, 200, 200, 200, 404)
CORE_TWENTE = roles(404, 404, 404, 200, 200, 200, 200, 404)
DRAFT_TWENTE = roles(404, 404, 404, 404, 200, 200, 404, 404)  # coordinators, staff: drafts
FELLOWS_TWENTE = roles(404, 404, 200, 200, 200, 200, 200, 404)
EXPORTERS = roles(LOGIN, 403, 403, 403, 200, 200, TOTP, TOTP)
JOB = "job"  # 302 to the page of the export job the post started
EXPORT_STARTED = roles(LOGIN, 403, 403, 403, JOB, JOB, TOTP, TOTP)
STAFFS_JOB = roles(LOGIN, 404, 404, 404, 404, 200, TOTP, TOTP)  # only whoever started it
HIDDEN = everyone(404)
ROUNDS_TWENTE = roles(LOGIN, 404, 200, 200, 200, 200, 200, 404)


@dataclass
class Case:
    name: str
    label: str
    expected: dict
    args: Callable[[dict], list] = lambda w: []
    method: str = "get"
    data: dict = field(default_factory=dict)


def _survey(network: str) -> Callable[[dict], list]:
    return lambda w: [w["admin"]["bevragingen.bevraging"][network].sleutel]


def _meeting(key: str) -> Callable[[dict], list]:
    return lambda w: [w[key].slug]


def _report(w: dict) -> list:
    if "melding" not in w:
        w["melding"] = meldpunt_services.report_create(tekst="Zorg over geheimhouding")[0].pk
    return [w["melding"]]


def _pk(key: str) -> Callable[[dict], list]:
    return lambda w: [w[key].pk]


CASES = [
    Case("home", "agenda", OPEN),
    Case("healthz", "health check", OPEN),
    Case("healthz_ready", "readiness check", OPEN),
    Case("set_language", "POST", everyone(302), method="post", data={"language": "en"}),
    Case("set_language", "GET", everyone(405)),
    Case("persoonlijke_agenda", "own token", OPEN, lambda w: [w["token"]]),
    Case("persoonlijke_agenda", "wrong token", HIDDEN, lambda w: ["niet-geldig"]),
    # leden: the member's own pages
    Case("leden:profiel", "page", members(200)),
    Case("leden:agenda_link", "POST", members(302), method="post"),
    Case("leden:agenda_link", "GET", members(405)),
    Case("leden:gegevens", "download", members(200)),
    Case("leden:verwijderen", "page", members(200)),
    Case(
        "leden:verwijderen", "POST confirmed", members(302), method="post", data={"bevestig": "ja"}
    ),
    Case("leden:foto", "kern_twente's photo", FELLOWS_TWENTE, lambda w: [w["foto_lid"]]),
    Case("leden:foto", "member without photo", HIDDEN, lambda w: [w["zonder_foto"]]),
    Case("leden:foto_bestand", "kern_twente's photo", FELLOWS_TWENTE, lambda w: [w["foto_naam"]]),
    Case("leden:foto_bestand", "no such photo", HIDDEN, lambda w: ["leden/foto/x.jpg"]),
    Case("leden:meedoen", "form", members(200), lambda w: ["twente"]),
    Case(
        "leden:meedoen",
        "POST",
        members(302),
        lambda w: ["twente"],
        "post",
        {"schil": "betrokken", "motivatie": "Graag"},
    ),
    Case("leden:meedoen", "unknown network", members(404), lambda w: ["bestaat-niet"]),
    Case("leden:verlaten", "POST", members(302), lambda w: ["twente"], "post"),
    Case("leden:verlaten", "GET", members(405), lambda w: ["twente"]),
    Case(
        "leden:schil_wisselen",
        "POST",
        members(302),
        lambda w: ["twente"],
        "post",
        {"schil": "kern"},
    ),
    Case("leden:schil_wisselen", "no such tier", members(404), lambda w: ["twente"], "post"),
    # netwerken
    Case("netwerken:detail", "page", OPEN, lambda w: ["twente"]),
    Case("netwerken:detail", "unknown", HIDDEN, lambda w: ["bestaat-niet"]),
    Case("netwerken:ics", "open meetings feed", OPEN, lambda w: ["twente"]),
    Case("netwerken:programma", "published", OPEN, lambda w: ["twente", 2027, 1]),
    Case("netwerken:programma", "draft", DRAFT_TWENTE, lambda w: ["twente", 2027, 2]),
    # themas: a network's members (both tiers), its coordinators and staff
    Case("themas:rondes", "Twente's rounds", ROUNDS_TWENTE, lambda w: ["twente"]),
    Case("themas:ronde", "Twente's round", ROUNDS_TWENTE, lambda w: ["twente", 2028, 2]),
    Case("themas:ronde", "no such round", roles(LOGIN, *[404] * 7), lambda w: ["twente", 2029, 1]),
    Case(
        "themas:datumplanning",
        "Twente's date planning",
        roles(LOGIN, 404, 404, 404, 200, 200, 404, 404),  # steering: coordinators with TOTP
        lambda w: ["twente", 2028, 2],
    ),
    # actieplannen: public pages; following takes a login and a POST
    Case("actieplannen:netwerk", "Twente's plan", OPEN, lambda w: ["twente"]),
    Case("actieplannen:netwerk", "unknown network", HIDDEN, lambda w: ["bestaat-niet"]),
    Case("actieplannen:koepel", "the umbrella's plan", OPEN, lambda w: ["bpsw"]),
    Case(
        "actieplannen:volgen",
        "POST",
        members(302),
        lambda w: [w["admin"]["actieplannen.actiepunt"]["twente"].pk],
        "post",
    ),
    Case(
        "actieplannen:volgen",
        "GET",
        members(405),
        lambda w: [w["admin"]["actieplannen.actiepunt"]["twente"].pk],
    ),
    # bijeenkomsten: one row per audience, page and .ics alike
    Case("bijeenkomsten:archief", "archive", OPEN),
    Case("bijeenkomsten:gast_afmelden", "wrong token", HIDDEN, lambda w: ["niet-geldig"]),
    Case("bijeenkomsten:mijn_aanmeldingen", "own registrations", members(200)),
    Case("bijeenkomsten:detail", "open", OPEN, _meeting("open")),
    Case("bijeenkomsten:detail", "members only", MEMBERS_ONLY, _meeting("leden")),
    Case("bijeenkomsten:detail", "network members", NETWORK_TWENTE, _meeting("netwerk")),
    Case("bijeenkomsten:detail", "core only", CORE_TWENTE, _meeting("kern")),
    Case("bijeenkomsten:detail", "draft programme", DRAFT_TWENTE, _meeting("concept")),
    Case("bijeenkomsten:ics", "open", OPEN, _meeting("open")),
    Case("bijeenkomsten:ics", "members only", MEMBERS_ONLY, _meeting("leden")),
    Case("bijeenkomsten:ics", "core only", CORE_TWENTE, _meeting("kern")),
    Case("bijeenkomsten:ics", "draft programme", DRAFT_TWENTE, _meeting("concept")),
    Case(
        "bijeenkomsten:aanmelden",
        "core only",
        roles(LOGIN, 404, 404, 302, 302, 302, 302, 404),
        _meeting("kern"),
        "post",
    ),
    Case(
        "bijeenkomsten:afmelden",
        "core only",
        roles(LOGIN, 404, 404, 302, 302, 302, 302, 404),
        _meeting("kern"),
        "post",
    ),
    Case("bijeenkomsten:gast_aanmelden", "open, form page", OPEN, _meeting("open")),
    Case(
        "bijeenkomsten:gast_aanmelden", "open, empty form", everyone(400), _meeting("open"), "post"
    ),
    # Guests register for open meetings only: any other audience answers 404 to everyone.
    Case("bijeenkomsten:gast_aanmelden", "core only", HIDDEN, _meeting("kern"), "post"),
    Case("bijeenkomsten:gast_aanmelden", "members only", HIDDEN, _meeting("leden"), "post"),
    Case("bijeenkomsten:gast_bevestigen", "wrong token", HIDDEN, lambda w: ["niet-geldig"]),
    Case("bijeenkomsten:materiaal", "open meeting's slides", OPEN, lambda w: [w["dias_open"]]),
    Case(
        "bijeenkomsten:materiaal", "core meeting's slides", CORE_TWENTE, lambda w: [w["dias_kern"]]
    ),
    Case("bijeenkomsten:materiaal", "no such file", HIDDEN, lambda w: ["materiaal/pdf/x.pdf"]),
    # berichten
    Case("berichten:digest_aanvragen", "form", members(200, anon=NEWSLETTER)),
    Case("berichten:voorkeuren", "mail preferences per network", members(200)),
    Case("berichten:digest_bevestigen", "wrong token", HIDDEN, lambda w: ["niet-geldig"]),
    Case("berichten:afmelden", "wrong token", HIDDEN, lambda w: ["niet-geldig"]),
    # nieuwsbrief: anyone, without an account; the links' tokens decide
    Case("nieuwsbrief:aanmelden", "form", OPEN),
    Case("nieuwsbrief:aanmelden", "empty form", everyone(400), method="post"),
    Case("nieuwsbrief:bevestigen", "wrong token", HIDDEN, lambda w: ["niet-geldig"]),
    Case("nieuwsbrief:afmelden", "wrong token", HIDDEN, lambda w: ["niet-geldig"]),
    # contact: anyone
    Case("contact:index", "page", OPEN),
    Case("contact:netwerk", "form", OPEN, lambda w: ["twente"]),
    Case("contact:netwerk", "empty form", everyone(400), lambda w: ["twente"], "post"),
    Case("contact:netwerk", "unknown network", HIDDEN, lambda w: ["bestaat-niet"]),
    Case("contact:koepel", "form", OPEN, lambda w: ["bpsw"]),
    Case("contact:koepel", "unknown umbrella", HIDDEN, lambda w: ["bestaat-niet"]),
    # bevragingen: an open survey for anyone with the link; results for its coordinators
    Case("bevragingen:invullen", "open survey", OPEN, _survey("twente")),
    Case("bevragingen:antwoord", "GET", everyone(405), _survey("twente")),
    Case("bevragingen:bedankt", "page", OPEN, _survey("twente")),
    Case(
        "bevragingen:bevestigen",
        "wrong token",
        HIDDEN,
        lambda w: [_survey("twente")(w)[0], "niet-geldig"],
    ),
    Case("bevragingen:resultaten", "Twente's survey", DRAFT_TWENTE, _survey("twente")),
    Case(
        "bevragingen:resultaten",
        "Rotterdam's survey",
        roles(404, 404, 404, 404, 404, 200, 404, 404),
        _survey("rotterdam"),
    ),
    Case(
        "bevragingen:open",
        "Twente's open answers",
        DRAFT_TWENTE,
        lambda w: [*_survey("twente")(w), w["admin"]["bevragingen.vraag"]["twente"].pk],
    ),
    Case("bevragingen_netwerk:gepubliceerd", "published results", OPEN, lambda w: ["twente"]),
    Case(
        "portal:survey",
        "Twente's survey",
        EXPORT_STARTED,
        _survey("twente"),
        "post",
        {"formaat": "csv"},
    ),
    Case(
        "portal:survey",
        "Rotterdam's survey",
        roles(LOGIN, 403, 403, 403, 404, JOB, TOTP, TOTP),
        _survey("rotterdam"),
        "post",
        {"formaat": "csv"},
    ),
    # exports: coordinators (their networks) and staff only
    Case("portal:index", "page", EXPORTERS),
    Case("portal:members", "POST csv", EXPORT_STARTED, method="post", data={"formaat": "csv"}),
    Case("portal:job", "staff's export job", STAFFS_JOB, lambda w: [w["job"]]),
    Case("portal:job_status", "staff's export job", STAFFS_JOB, lambda w: [w["job"]]),
    Case("portal:job_file", "staff's export file", STAFFS_JOB, lambda w: [w["job"]]),
    Case(
        "portal:verwerkingsregister",
        "POST csv: staff only",
        roles(LOGIN, 403, 403, 403, 403, JOB, TOTP, TOTP),
        method="post",
        data={"formaat": "csv"},
    ),
    # the privacy statement
    Case("privacy:verklaring", "statement", OPEN),
    Case(
        "portal:meeting",
        "Twente core meeting",
        EXPORT_STARTED,
        lambda w: [w["kern"].pk],
        "post",
        {"formaat": "csv"},
    ),
    Case(
        "portal:meeting",
        "Rotterdam meeting",
        roles(LOGIN, 403, 403, 403, 404, JOB, TOTP, TOTP),
        lambda w: [w["rotterdam_meeting"].pk],
        "post",
        {"formaat": "csv"},
    ),
    Case(
        "portal:programme",
        "Twente draft programme",
        EXPORT_STARTED,
        lambda w: [w["concept_programma"].pk],
        "post",
        {"formaat": "csv"},
    ),
    # meldpunt: the reporter's pages are open (no account), the committee's answer 404 to
    # everyone in the cast, staff included (no one here is on the committee)
    Case("meldpunt:melden", "form", OPEN),
    Case("meldpunt:melden", "empty report", everyone(400), method="post"),
    Case("meldpunt:terugkeren", "code form", OPEN),
    Case("meldpunt:aanvullen", "GET", everyone(405)),
    Case("meldpunt:commissie", "overview", roles(LOGIN, *[404] * 7)),
    Case("meldpunt:commissie_melding", "a report", roles(LOGIN, *[404] * 7), _report),
    # deelname: the member's own attendance; a certificate only for what they attended
    Case("deelname:mijn_deelname", "page", members(200)),
    Case("deelname:jaar_pdf", "own overview", members(200), lambda w: [2027]),
    Case("deelname:jaar_csv", "own overview", members(200), lambda w: [2027]),
    Case(
        "deelname:bewijs",
        "meeting kern_twente and the coordinator attended",
        roles(LOGIN, 404, 404, 200, 200, 404, 404, 404),
        lambda w: [w["bijgewoond"].pk],
    ),
    Case("deelname:bewijs", "meeting nobody attended", members(404), _pk("rotterdam_meeting")),
    Case("deelname:verificatie", "a certificate", OPEN, lambda w: [w["bewijs"]]),
    Case("deelname:verificatie", "tampered id", HIDDEN, lambda w: [w["bewijs"][:-1] + "-"]),
    Case(
        "deelname:netwerk_cijfers",
        "Twente's figures",
        roles(LOGIN, 404, 404, 404, 200, 200, TOTP, TOTP),
        lambda w: ["twente"],
    ),
    Case(
        "deelname:netwerk_cijfers",
        "Rotterdam's figures",
        roles(LOGIN, 404, 404, 404, 404, 200, TOTP, TOTP),
        lambda w: ["rotterdam"],
    ),
    Case("deelname:staf_cijfers", "page", roles(LOGIN, 404, 404, 404, 404, 200, TOTP, TOTP)),
]


# --- The admin: every URL Django adds, for every model -------------------------------------

# What Twente's coordinator may do per model (view, add, change, delete); elsewhere 403.
COORDINATOR_ADMIN = {
    "netwerken.netwerk": "vc",
    "bijeenkomsten.halfjaarprogramma": "vacd",
    "bijeenkomsten.bijeenkomst": "vacd",
    "bijeenkomsten.aanmelding": "v",
    "bijeenkomsten.programmaonderdeel": "vacd",
    "bijeenkomsten.materiaal": "vacd",
    "leden.lidmaatschap": "vc",
    "leden.lid": "v",
    "themas.themaronde": "vac",
    "themas.themavoorstel": "vc",
    "themas.reactie": "vd",  # moderation: read and delete
    "contact.contactbericht": "v",  # their networks' messages, read only
    "bevragingen.bevraging": "vac",
    "bevragingen.vraag": "vc",  # questions are added on their survey's page
    "actieplannen.actieplan": "vac",
    "actieplannen.uitdaging": "vacd",
    "actieplannen.actiepunt": "vacd",
    "actieplannen.wijziging": "v",  # the history: read only
}


# What even staff may not do: logs are written by the portal, never by hand.
STAFF_CANNOT = {
    "portal.exportlog": "ad",
    "portal.retentionlog": "ad",
    "portal.inzage": "ad",
    "bijeenkomsten.aanmelding": "d",  # a registration is cancelled, never deleted
    "berichten.verzending": "a",
    "leden.digesttoestemming": "a",
    "themas.reactie": "a",  # members write comments on the round page
    "nieuwsbrief.abonnee": "a",  # subscribers sign up themselves
    "contact.contactbericht": "a",  # visitors write them
    "bevragingen.vraag": "a",  # added on their survey's page
    "actieplannen.wijziging": "ad",  # the history is written by the services only
}


def admin_roles(coordinator, staff=200) -> dict:
    """Members are sent to the admin's login, staff and coordinators without TOTP to it."""
    login = ADMIN_LOGIN
    return roles(login, login, login, login, coordinator, staff, TOTP, TOTP)


def _admin_object(label: str, network: str) -> Callable[[dict], list]:
    return lambda w: [w["admin"][label][network].pk]


def _on_site(label: str, network: str) -> Callable[[dict], list]:
    from django.contrib.contenttypes.models import ContentType

    def args(w: dict) -> list:
        obj = w["admin"][label][network]
        return [ContentType.objects.get_for_model(obj).pk, obj.pk]

    return args


def _admin_cases() -> list[Case]:
    from django.contrib import admin

    cases = []
    for model in admin.site._registry:
        label = model._meta.label_lower
        rights = COORDINATOR_ADMIN.get(label, "")
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"

        def may(right: str, rights=rights, label=label) -> tuple[int, int]:
            coordinator = 200 if right in rights else 403
            return coordinator, 403 if right in STAFF_CANNOT.get(label, "") else 200

        own, other = _admin_object(label, "twente"), _admin_object(label, "rotterdam")
        cases += [
            Case(f"{name}_changelist", label, admin_roles(*may("v"))),
            Case(f"{name}_add", label, admin_roles(*may("a"))),
            Case(f"{name}_change", f"{label}, Twente", admin_roles(*may("v")), own),
            Case(f"{name}_history", f"{label}, Twente", admin_roles(*may("v")), own),
            Case(f"{name}_delete", f"{label}, Twente", admin_roles(*may("d")), own),
        ]
        if rights:  # another network's row is not there for the coordinator
            cases += [
                Case(f"{name}_change", f"{label}, Rotterdam", admin_roles(404), other),
                Case(f"{name}_history", f"{label}, Rotterdam", admin_roles(404), other),
                Case(f"{name}_delete", f"{label}, Rotterdam", admin_roles(404, may("d")[1]), other),
            ]
    on_site = "bijeenkomsten.bijeenkomst"
    cases += [
        Case("admin:index", "index", admin_roles(200)),
        Case("admin:app_list", "bijeenkomsten", admin_roles(200), lambda w: ["bijeenkomsten"]),
        Case("admin:app_list", "auth", admin_roles(404), lambda w: ["auth"]),
        Case("admin:jsi18n", "catalogue", admin_roles(200)),
        Case("admin:password_change", "form", admin_roles(200)),
        Case("admin:password_change_done", "page", admin_roles(200)),
        Case(
            "admin:auth_user_password_change",
            "a member's password",
            admin_roles(403),
            lambda w: [w["admin"]["leden.user"]["twente"].pk],
        ),
        Case(
            "admin:view_on_site", "own meeting", admin_roles(302, 302), _on_site(on_site, "twente")
        ),
        Case(
            "admin:view_on_site",
            "other network's",
            admin_roles(404, 302),
            _on_site(on_site, "rotterdam"),
        ),
        Case(
            "admin:autocomplete",
            "members for a registration",
            admin_roles(200),
            data={"app_label": "bijeenkomsten", "model_name": "aanmelding", "field_name": "lid"},
        ),
        # Logging out stays possible without TOTP (and takes a POST); members are sent
        # to the admin's index, which sends them to its login.
        Case("admin:logout", "GET", roles(302, 302, 302, 302, 405, 405, 405, 405)),
        Case("admin:login", "page", roles(LOGIN, 403, 403, 403, 302, 302, 302, 302)),
    ]
    return cases


ADMIN_CASES = _admin_cases()


def _slides(bijeenkomst) -> str:
    """The stored name of a PDF on this meeting (its URL's argument)."""
    from django.core.files.base import ContentFile

    from bijeenkomsten.models import Materiaal
    from tests.portal.test_uploads import pdf_bytes

    materiaal = Materiaal(bijeenkomst=bijeenkomst, soort="slides", titel="Dia's")
    materiaal.pdf.save("dias.pdf", ContentFile(pdf_bytes()), save=False)
    materiaal.save()
    return materiaal.pdf.name


def _attended(twente, *users):
    """A past meeting the users attended, and the verification id of the last one's
    certificate (a coordinator: their name is public, so the leak check still reads the rest
    of the verification page, which shows the holder's name to anyone with the link)."""
    from datetime import timedelta

    from django.utils import timezone

    from bijeenkomsten.services import meeting_mark_attendance
    from deelname.models import Deelnamebewijs

    begin = timezone.now() - timedelta(days=20)
    meeting = factories.BijeenkomstFactory(
        netwerken=[twente], soort="thema", begin=begin, einde=begin + timedelta(hours=2)
    )
    rows = [factories.AanmeldingFactory(bijeenkomst=meeting, lid=u.lid) for u in users]
    meeting_mark_attendance(bijeenkomst_id=meeting.pk, aanwezig=[a.pk for a in rows])
    return meeting, Deelnamebewijs.objects.create(aanmelding=rows[-1]).code


def _finished_export_job(user):
    log = ExportLog.objects.create(user=user, export="members", format="csv", rows=1)
    job = ExportJob(user=user, log=log, exporter="members", status=ExportJob.Status.DONE)
    job.file = export_storage().save("exports/ledenlijst.csv", ContentFile(b"naam\r\nKern\r\n"))
    job.filename, job.finished_at = "ledenlijst.csv", timezone.now()
    job.save()
    return job.pk


@pytest.fixture
def world(cast, twente, rotterdam) -> dict:
    kern_lid = cast["kern_twente"].lid
    concept = factories.HalfjaarprogrammaFactory(netwerk=twente, helft=2, gepubliceerd=False)
    factories.HalfjaarprogrammaFactory(netwerk=twente, helft=1, gepubliceerd=True)
    leden_photos.lid_photo_set(
        lid=kern_lid, upload=SimpleUploadedFile("foto.jpg", jpeg_with_gps((200, 200)))
    )
    meetings = {
        audience: factories.BijeenkomstFactory(doelgroep=audience, netwerken=[twente])
        for audience in ("open", "netwerk", "leden", "kern")
    }
    bijgewoond, bewijs = _attended(twente, cast["kern_twente"], cast["coordinator_twente"])
    return {
        **meetings,
        "bijgewoond": bijgewoond,
        "bewijs": bewijs,
        "dias_open": _slides(meetings["open"]),
        "dias_kern": _slides(meetings["kern"]),
        "concept": factories.BijeenkomstFactory(netwerken=[twente], programma=concept),
        "concept_programma": concept,
        "rotterdam_meeting": factories.BijeenkomstFactory(netwerken=[rotterdam]),
        "token": leden_services.lid_calendar_token_renew(lid=kern_lid),
        "job": _finished_export_job(cast["staff"]),
        "foto_lid": kern_lid.pk,
        "foto_naam": kern_lid.foto.name,
        "zonder_foto": cast["betrokken_twente"].lid.pk,
        "admin": filled_admin_objects(
            twente=twente,
            rotterdam=rotterdam,
            kern_twente=cast["betrokken_twente"],  # no photo (see test_admin_crawl)
            lid_rotterdam=cast["lid_rotterdam"],
            staff=cast["staff"],
            photos=False,
        ),
    }


def _outcome(response) -> int | str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("account_login")):
            return LOGIN
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        if location == reverse("mfa_activate_totp"):
            return TOTP
        if location == reverse("nieuwsbrief:aanmelden"):
            return NEWSLETTER
        if location.startswith(reverse("portal:index") + "taak/"):
            return JOB
    return response.status_code


@pytest.fixture
def coordinator_no_totp(twente):
    """Named coordinator of Twente (and a core member there), TOTP not activated yet."""
    user = factories.LidmaatschapFactory(
        netwerk=twente, schil="kern", lid__naam="Coördinator Zonder Tweestap"
    ).lid.user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    twente.coordinators.add(user)
    return user


@pytest.fixture
def staff_no_totp(db):
    user = factories.UserFactory(is_staff=True, is_superuser=True)
    factories.LidFactory(user=user, naam="Staf Zonder Tweestap")
    return user


def _personal_data_of_others(user) -> list[bytes]:
    """E-mail addresses and names of everyone else, but for what `user` may see as a plain
    member: fellow members of their own networks, and coordinators' names (the network
    page names them to everyone)."""
    from leden.models import Lid, User
    from leden.permissions import can_see_member

    data = set(User.objects.exclude(pk=user.pk).values_list("email", flat=True))
    for lid in Lid.objects.exclude(user=user).select_related("user"):
        if can_see_member(user, lid):
            data.discard(lid.user.email)
        elif not lid.user.gecoordineerde_netwerken.exists():
            data.add(lid.naam)
    return [text.encode() for text in data if text]


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_every_url_answers_each_role_as_expected(client, cast, world, role, request):
    user = request.getfixturevalue(role) if role in WITHOUT_TOTP else cast[role]
    others = _personal_data_of_others(user) if role in WITHOUT_TOTP else []
    wrong, leaks = [], []
    for case in [*CASES, *ADMIN_CASES]:
        client.logout()
        if role != "visitor":
            client.force_login(user)
        url = reverse(case.name, args=case.args(world))
        # Each request's writes (joining, leaving, deleting the account) are rolled back,
        # so every row starts from the same world.
        with transaction.atomic():
            response = getattr(client, case.method)(url, case.data)
            transaction.set_rollback(True)
        outcome = _outcome(response)
        if outcome != case.expected[role]:
            wrong.append(f"{case.name} ({case.label}): {outcome}, expected {case.expected[role]}")
        if others and not response.streaming:
            shown = [text.decode() for text in others if text in response.content]
            if shown:
                leaks.append(f"{case.name} ({case.label}) shows {shown}")
    assert not wrong + leaks, "\n".join(wrong + leaks)


def _named_urls(patterns, namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _named_urls(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            if pattern.callback.__module__.startswith("allauth."):
                continue
            yield name


def test_every_named_url_outside_allauth_is_in_the_matrix():
    named = set(_named_urls(get_resolver().url_patterns))
    covered = {case.name for case in [*CASES, *ADMIN_CASES]}
    assert named - covered == set(), "add these URLs to CASES"
    assert covered - named == set(), "these CASES name URLs that no longer exist"
    # The walk works, and Django's own admin URLs count.
    assert {"leden:profiel", "portal:index", "admin:view_on_site", "admin:autocomplete"} <= named
