"""The six journeys of issue 13, end to end in headless Chromium, at desktop and phone size.

Every step is checked by axe-core and the W3C HTML checker (`check_accessibility`) and leaves
a screenshot for review in $JOURNEY_SCREENSHOTS (default: the test's tmp_path), named
`<journey>-<viewport>-<nn>-<step>.png`. Each journey asserts what the feature must have done
(rows in the database, the files it serves), so a broken feature fails here, not only a page.
"""

from __future__ import annotations

import csv
import io
import os
import re
import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from bijeenkomsten.models import Aanmelding, Bijeenkomst, Halfjaarprogramma, Materiaal
from leden.models import Lidmaatschap, User
from portal.models import ExportLog
from tests import conftest, factories, mailfixtures
from tests.accountfixtures import secret_of, totp_code
from tests.conftest import check_accessibility, remember_documents
from tests.portal.test_uploads import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

eager_celery = mailfixtures.eager_celery  # mails leave the outbox in-process, on commit

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1366, "height": 768}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
PASSWORD = "een-heel-lang-wachtwoord"


def mails_to(address: str, *, at_least: int = 1, timeout: float = 15) -> list:
    """The mails sent to `address` so far, as Django's test outbox holds them.

    The one place this file reads mail. Mails are queued in the outbox (berichten) and sent by
    a task run on commit (eager here, in the live server's thread), so wait a moment for them.
    """
    deadline = time.monotonic() + timeout
    while True:
        found = [message for message in mail.outbox if address in message.to]
        if len(found) >= at_least or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def link_in(message, pattern: str) -> str:
    return re.search(rf"https?://\S+{pattern}\S*", message.body).group(0)


class Journey:
    """One person's walk through the portal in one browser tab, step by step."""

    def __init__(self, page, site_url: str, viewport: str, folder: Path) -> None:
        self.page, self.site_url, self.viewport, self.folder = page, site_url, viewport, folder
        self.name = "reis"
        self.steps = 0

    def __call__(self, name: str) -> Journey:
        self.name = name
        return self

    def goto(self, path: str):
        return self.page.goto(self.site_url + path)

    def step(self, label: str) -> None:
        """A screenshot for review, then axe and the HTML checker must find nothing."""
        self.steps += 1
        name = f"{self.name}-{self.viewport}-{self.steps:02d}-{label}"
        check_accessibility(self.page, name)  # saves <name>.png in conftest.SCREENSHOTS
        shot = self.folder / f"{name}.png"
        assert shot.is_file() and shot.stat().st_size > 0, shot

    def menu(self, href: str) -> None:
        """Follow a main-menu link as a person does: on a phone, open the collapsed menu first
        (so an item hidden there, or missing from it, fails the journey)."""
        toggler = self.page.locator("nav .navbar-toggler")
        assert toggler.is_visible() == (self.viewport == "phone")
        if self.viewport == "phone":
            toggler.click()
            self.page.locator("#hoofdmenu.show").wait_for()
        self.page.locator(f"#hoofdmenu a[href='{href}']").click()
        self.page.wait_for_load_state()

    def log_in_as(self, user) -> None:
        """A session without the login form (journeys 2 and 3 walk the form itself)."""
        client = Client()
        client.force_login(user)
        self.page.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": self.site_url,
                }
            ]
        )

    def submit(self, text: str) -> None:
        self.page.locator("main").get_by_role("button", name=text).click()
        self.page.wait_for_load_state()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


@pytest.fixture
def screenshots(tmp_path, monkeypatch) -> Path:
    folder = Path(os.environ.get("JOURNEY_SCREENSHOTS") or tmp_path / "journeys")
    folder.mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(conftest, "SCREENSHOTS", str(folder))
    return folder


@pytest.fixture
def journey(browser, site_url, settings, viewport, screenshots):
    settings.SITE_URL = site_url  # links in mails and calendar links point to the live server
    settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
    context = browser.new_context(
        locale="nl-NL", timezone_id="Europe/Amsterdam", **VIEWPORTS[viewport]
    )
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.set_default_timeout(20_000)  # a loaded 2-core machine
    remember_documents(page)
    yield Journey(page, site_url, viewport, screenshots)
    context.close()
    elsewhere = sorted({url for url in requested if not conftest._is_own(url)})
    assert not elsewhere, f"requests to third parties: {elsewhere}"


# --- 1. A visitor registers as a guest for an open meeting, and cancels by the mailed link ---


def test_a_visitor_registers_as_a_guest_and_cancels_by_the_mailed_link(
    journey, eager_celery, twente
):
    j, page = journey("1-gast"), journey.page
    address = f"gerrit.{j.viewport}@example.org"
    bijeenkomst = factories.BijeenkomstFactory(
        titel="Open themabijeenkomst armoede", netwerken=[twente], capaciteit=20
    )
    j.goto("/")
    page.locator("main").get_by_role("link", name=bijeenkomst.titel).click()
    assert "20 plaatsen over" in page.inner_text("#aanmeldbox")
    j.step("bijeenkomst")

    page.locator("#aanmeldbox").get_by_role("link", name="Aanmelden als gast").click()
    page.fill("#id_gast_naam", "Gerrit Gast")
    page.fill("#id_gast_email", address)
    j.step("gastformulier")
    j.submit("Aanmelden als gast")
    assert address in page.inner_text("main")
    j.step("mail-verstuurd")
    aanmelding = Aanmelding.objects.get(bijeenkomst=bijeenkomst, gast_email=address)
    assert aanmelding.status == "aangemeld" and not aanmelding.bevestigd

    (confirmation,) = mails_to(address)
    page.goto(link_in(confirmation, "/gast/bevestigen/"))
    j.submit("Mijn aanmelding bevestigen")
    assert "Bevestigd: je bent aangemeld." in page.inner_text("main")
    j.step("bevestigd")
    aanmelding.refresh_from_db()
    assert aanmelding.status == "aangemeld" and aanmelding.bevestigd
    j.goto(bijeenkomst.get_absolute_url())
    assert "19 plaatsen over" in page.inner_text("#aanmeldbox")

    registered = mails_to(address, at_least=2)[-1]  # "you are registered", with the way out
    page.goto(link_in(registered, "/gast/afmelden/"))
    j.step("afmelden")
    j.submit("Mijn aanmelding annuleren")
    assert "Je bent afgemeld" in page.inner_text("main")
    j.step("afgemeld")
    aanmelding.refresh_from_db()
    assert aanmelding.status == "geannuleerd"
    j.goto(bijeenkomst.get_absolute_url())
    assert "20 plaatsen over" in page.inner_text("#aanmeldbox")


# --- 2. A social worker signs up and asks to join Twente ------------------------------------


def test_a_social_worker_signs_up_and_asks_to_join_twente(
    journey, eager_celery, twente, coordinator_twente
):
    j, page = journey("2-aanmelden"), journey.page
    address = f"sociaal.werker.{j.viewport}@example.org"
    j.goto("/")
    j.menu("/accounts/signup/")
    page.fill("#id_email", address)
    page.fill("#id_naam", "Sanne Sociaal")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    j.step("registreren")
    j.submit("Registreren")
    page.wait_for_url("**/accounts/confirm-email/")
    j.step("mail-verstuurd")
    user = User.objects.get(email=address)
    assert user.lid.naam == "Sanne Sociaal" and not user.emailaddress_set.get().verified

    (verification,) = mails_to(address)
    page.goto(link_in(verification, "/accounts/confirm-email/"))
    j.step("adres-bevestigen")
    j.submit("Bevestigen")
    assert user.emailaddress_set.get().verified

    assert page.locator("#hoofdmenu a[href='/leden/profiel/']").count() == 0  # not yet in
    j.menu("/accounts/login/")
    page.fill("#id_login", address)
    page.fill("#id_password", PASSWORD)
    j.step("inloggen")
    j.submit("Inloggen")
    assert page.locator("#hoofdmenu a[href='/leden/profiel/']").count() == 1

    j.goto("/")
    page.locator("main").get_by_role("link", name=twente.naam).click()
    page.locator("main").get_by_role("link", name="Ik wil lid worden").click()
    page.check("input[name=schil][value=kern]")
    page.fill("#id_motivatie", "Ik werk in een wijkteam in Hengelo en wil graag meedenken.")
    j.step("meedoen")
    j.submit("Mijn aanvraag versturen")
    assert "Je aanvraag ligt bij de coördinatoren." in page.inner_text("main")
    assert page.locator("main").get_by_role("link", name="Ik wil lid worden").count() == 0
    j.step("aanvraag-in-behandeling")
    aanvraag = Lidmaatschap.objects.get(lid=user.lid, netwerk=twente)
    assert (aanvraag.status, aanvraag.schil) == ("aangevraagd", "kern")
    assert mails_to(coordinator_twente.email), "the coordinator hears of the request"


# --- 3. A coordinator plans a half-year in the admin and publishes it ---------------------


def _members_network_page(user, netwerk) -> str:
    client = Client()
    client.force_login(user)
    return client.get(netwerk.get_absolute_url()).content.decode()


def test_a_coordinator_plans_a_half_year_publishes_it_and_members_see_it(
    journey, twente, coordinator_twente, kern_twente
):
    j, page = journey("3-programma"), journey.page
    twente.vaste_weekdag, twente.vaste_aanvang = 1, clock(19, 30)  # Tuesdays: rows proposed
    twente.save()
    j.goto("/")
    j.menu("/accounts/login/")
    page.fill("#id_login", coordinator_twente.email)
    page.fill("#id_password", factories.PASSWORD)
    j.step("inloggen")
    j.submit("Inloggen")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    j.step("tweestaps-code")
    page.fill("#id_code", totp_code(secret_of(coordinator_twente)))
    page.click("main form button[type=submit]")
    page.wait_for_selector("#hoofdmenu a[href='/admin/']", state="attached")

    j.menu("/admin/")
    j.step("beheer")
    page.click("a[href='/admin/bijeenkomsten/halfjaarprogramma/add/']")
    page.fill("#id_themas", "Moreel beraad\nArmoede in de wijk")
    page.fill("#id_bijeenkomsten-0-titel", "Aftrap: moreel beraad")
    page.fill("#id_bijeenkomsten-1-titel", "Armoede achter de voordeur")
    j.step("nieuw-programma")
    page.click("input[name=_continue]")
    page.wait_for_selector("input[name=_publish]")
    j.step("opgeslagen")
    programma = Halfjaarprogramma.objects.get(netwerk=twente)
    titles = sorted(programma.bijeenkomsten.values_list("titel", flat=True))
    assert titles == ["Aftrap: moreel beraad", "Armoede achter de voordeur"]
    assert not programma.gepubliceerd
    assert "Aftrap: moreel beraad" not in _members_network_page(kern_twente, twente)

    page.click("input[name=_publish]")
    page.wait_for_selector(".messagelist")
    j.step("gepubliceerd")
    programma.refresh_from_db()
    assert programma.gepubliceerd and programma.gepubliceerd_op is not None

    j.goto(twente.get_absolute_url())
    upcoming = page.inner_text("main")
    assert "Aftrap: moreel beraad" in upcoming and "Armoede achter de voordeur" in upcoming
    j.step("netwerkpagina")
    member_sees = _members_network_page(kern_twente, twente)
    assert "Aftrap: moreel beraad" in member_sees and "Armoede achter de voordeur" in member_sees


# --- 4. Staff export the member list, from the menu ----------------------------------------


def _download(j, button: str, label: str) -> bytes:
    """Start the export, follow its job page to the link, download, and go back."""
    page = j.page
    page.locator("main").get_by_role("button", name=button, exact=True).click()
    page.wait_for_url("**/export/taak/**")
    link = page.locator("main a[download]")
    link.wait_for(timeout=30_000)  # the job runs in the worker (eager here, on commit)
    j.step(label)
    shown = page._last_document  # a download leaves the page as it was, for the checker too
    with page.expect_download() as info:
        link.click()
    body = Path(info.value.path()).read_bytes()
    page._last_document = shown
    page.go_back()
    page.wait_for_load_state()
    return body


def test_staff_download_the_member_list_as_csv_and_xlsx_from_the_menu(
    journey,
    twente,
    staff,
    coordinator_twente,
    kern_twente,
    betrokken_twente,
    lid_rotterdam,
    eager_celery,
):
    j, page = journey("4-export"), journey.page
    j.log_in_as(staff)
    j.goto("/")
    j.menu("/export/")
    j.step("exports")

    page.select_option("#id_netwerk", str(twente.pk))
    page.select_option("#id_formaat", "csv")
    body = _download(j, "Downloaden", "export-klaar")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][0] == "naam" and len(rows[0]) == 10
    assert sorted(row[0] for row in rows[1:]) == [
        "Betrokken Twente",
        "Coördinator Twente",
        "Kern Twente",
    ]

    page.select_option("#id_netwerk", "")
    page.select_option("#id_formaat", "xlsx")
    j.step("alle-leden-xlsx")
    body = _download(j, "Downloaden", "export-xlsx-klaar")
    workbook = load_workbook(io.BytesIO(body), read_only=True)
    names = sorted(row[0] for row in list(workbook.worksheets[0].iter_rows(values_only=True))[1:])
    assert names == ["Betrokken Twente", "Coördinator Twente", "Kern Twente", "Lid Rotterdam"]
    assert ExportLog.objects.filter(user=staff).count() == 2


# --- 5. A Flemish member browses Vlaams-Brabant ---------------------------------------------


def test_a_flemish_member_browses_vlaams_brabant_and_adds_a_meeting_to_the_calendar(
    journey, twente
):
    j, page = journey("5-vlaanderen"), journey.page
    koepel = factories.KoepelFactory(
        slug="sterk-sociaal-werk", naam="Vlaams Platform Sterk Sociaal Werk", land="BE"
    )
    brabant = factories.NetwerkFactory(
        slug="vlaams-brabant",
        naam="Sterk Sociaal Werk Vlaams-Brabant",
        koepel=koepel,
        regio="Provincie Vlaams-Brabant",
    )
    member = factories.LidmaatschapFactory(netwerk=brabant, schil="betrokken").lid.user
    cafe = factories.BijeenkomstFactory(
        titel="Sociaal café Leuven",
        netwerken=[brabant],
        locatie="Provinciehuis Vlaams-Brabant",
        adres="Provincieplein 1, 3010 Leuven",
    )
    factories.BijeenkomstFactory(titel="Intervisie Enschede", netwerken=[twente])
    j.log_in_as(member)
    j.goto("/")
    page.locator("main").get_by_role("link", name=brabant.naam).click()
    assert cafe.titel in page.inner_text("main")
    j.step("netwerk")

    j.goto("/")
    page.select_option("#id_netwerk", "vlaams-brabant")
    page.locator("main").get_by_role("button", name="Tonen").click()
    page.wait_for_url("**netwerk=vlaams-brabant**")
    listed = page.inner_text("main .agenda-list")
    assert cafe.titel in listed and "Intervisie Enschede" not in listed
    j.step("agenda-gefilterd")

    page.locator("main").get_by_role("link", name=cafe.titel).click()
    j.step("bijeenkomst")
    box = page.locator("#aanmeldbox")
    ics = page.request.get(
        j.site_url + box.get_by_role("link", name=re.compile(r"\.ics")).get_attribute("href")
    )
    assert ics.status == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert "Sociaal caf" in ics.text() and "BEGIN:VEVENT" in ics.text()
    google = urlsplit(box.get_by_role("link", name=re.compile("Google")).get_attribute("href"))
    query = parse_qs(google.query)
    assert google.hostname == "calendar.google.com" and query["text"] == [cafe.titel]
    assert "Leuven" in query["location"][0]
    outlook = box.get_by_role("link", name=re.compile("Outlook")).filter(has_not_text=".ics")
    assert outlook.count() >= 1


# --- 6. A conference attendee looks for the slides ------------------------------------------


def test_a_conference_attendee_finds_the_slides_in_the_archive_and_opens_them(
    journey, rotterdam, twente, betrokken_twente
):
    j, page = journey("6-slides"), journey.page
    conference = factories.BijeenkomstFactory(
        titel="Conferentie Hoe(Zo) Sociaal Werk?!",
        soort=Bijeenkomst.Soort.CONFERENTIE,
        netwerken=[rotterdam, twente],
        doelgroep="leden",
        begin=timezone.now() - timedelta(days=40),
    )
    factories.AanmeldingFactory(bijeenkomst=conference, lid=betrokken_twente.lid, status="aanwezig")
    factories.BijeenkomstFactory(
        titel="Sociaal café Delft", netwerken=[rotterdam], begin=timezone.now() - timedelta(days=20)
    )
    slides = Materiaal(bijeenkomst=conference, soort="slides", titel="Presentatie Jack de Swart")
    pdf = pdf_bytes(pages=2)
    slides.pdf.save("presentatie.pdf", ContentFile(pdf), save=False)
    slides.save()

    j.log_in_as(betrokken_twente)
    j.goto("/")
    j.menu("/bijeenkomsten/archief/")
    page.fill("#id_zoek", "Jack de Swart")
    j.step("archief")
    page.locator("main").get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**zoek=Jack**")
    found = page.inner_text("main")
    assert conference.titel in found and "Sociaal café Delft" not in found
    j.step("zoekresultaat")

    page.locator("main").get_by_role("link", name=conference.titel).click()
    j.step("bijeenkomst")
    link = page.locator("main").get_by_role("link", name=slides.titel)
    # Headless Chromium has no PDF viewer: the slides arrive as a download.
    served = page.expect_response(lambda r: "/bijeenkomsten/materiaal/" in r.url)
    with served as answer, page.expect_download() as download:
        link.click()
    response = answer.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert Path(download.value.path()).read_bytes() == pdf
