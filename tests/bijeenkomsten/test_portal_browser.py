"""What a person does in the portal, in real headless Chromium, with axe-core on every page."""

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories, mailfixtures
from tests.conftest import check_accessibility
from tests.mailfixtures import text_part

smtp_server, smtp, eager_celery = (
    mailfixtures.smtp_server,
    mailfixtures.smtp,
    mailfixtures.eager_celery,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, site_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site_url}]
    )


def test_visitor_browses_filters_and_opens_a_meeting(page, site_url, twente, rotterdam):
    today = timezone.localdate()
    factories.HalfjaarprogrammaFactory(
        netwerk=twente, jaar=today.year, helft=1 if today.month <= 6 else 2, themas="Wijkteams"
    )
    factories.BijeenkomstFactory(titel="Sociaal café Enschede", netwerken=[twente], capaciteit=30)
    factories.BijeenkomstFactory(titel="Werkconferentie wijkteams", netwerken=[rotterdam])
    hidden = factories.BijeenkomstFactory(titel="Kernoverleg", doelgroep="kern", netwerken=[twente])
    page.goto(site_url + "/")
    assert page.locator("html").get_attribute("lang") == "nl"
    check_accessibility(page, "agenda")
    page.select_option("#id_netwerk", "rotterdam")
    page.click("button[type=submit]:has-text('Tonen')")
    assert "netwerk=rotterdam" in page.url
    assert page.locator("text=Werkconferentie wijkteams").count() == 1
    assert page.locator("text=Sociaal café Enschede").count() == 0
    page.click("text=Werkconferentie wijkteams")
    check_accessibility(page, "bijeenkomst")
    page.goto(site_url + "/netwerken/twente/")
    check_accessibility(page, "netwerk")
    page.click("text=Het hele programma")
    assert "programma" in page.url
    check_accessibility(page, "programma")
    page.goto(site_url + "/bijeenkomsten/archief/?zoek=wijkteams")
    check_accessibility(page, "archief")
    response = page.goto(site_url + hidden.get_absolute_url())
    assert response.status == 404


def test_member_registers_sees_the_count_drop_and_cancels(page, site_url, twente, kern_twente):
    bijeenkomst = factories.BijeenkomstFactory(
        titel="Themabijeenkomst", netwerken=[twente], capaciteit=10
    )
    log_in(page, site_url, kern_twente)
    page.goto(site_url + bijeenkomst.get_absolute_url())
    assert "10 plaatsen over" in page.inner_text("#aanmeldbox")
    page.click("#aanmeldbox button:has-text('Aanmelden')")
    assert "9 plaatsen over" in page.inner_text("#aanmeldbox")
    check_accessibility(page, "aangemeld")
    page.click("#aanmeldbox button:has-text('annuleren')")
    assert "10 plaatsen over" in page.inner_text("#aanmeldbox")


def test_guest_form_with_errors_is_accessible_and_in_dutch(page, site_url, twente):
    bijeenkomst = factories.BijeenkomstFactory(titel="Open avond", netwerken=[twente])
    page.goto(site_url + bijeenkomst.get_absolute_url())
    page.click("#aanmeldbox a:has-text('gast')")
    page.fill("#id_gast_naam", "Gast")
    page.fill("#id_gast_email", "geen-adres")
    page.click("main button:has-text('gast')")
    assert "geldig e-mailadres" in page.content()
    check_accessibility(page, "gastformulier-fout")


def _second_tab_as(browser, site_url: str, user):
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    other = context.new_page()
    other.set_default_timeout(10_000)
    log_in(other, site_url, user)
    return other


def test_the_eleventh_registrant_waits_and_is_promoted_when_someone_cancels(
    browser, page, site_url, settings, smtp, eager_celery, twente, rotterdam, lid_rotterdam
):
    from bijeenkomsten import services

    settings.SITE_URL = site_url
    bijeenkomst = factories.BijeenkomstFactory(
        titel="Intervisie met tien plaatsen", netwerken=[twente], capaciteit=10
    )
    first, *others = [factories.LidFactory() for _ in range(10)]
    for lid in [first, *others]:
        services.registration_create(bijeenkomst_id=bijeenkomst.pk, lid=lid)
    smtp.clear()

    log_in(page, site_url, lid_rotterdam)  # the eleventh, from another network
    page.goto(site_url + bijeenkomst.get_absolute_url())
    assert "0 plaatsen over" in page.inner_text("#aanmeldbox")
    page.click("#aanmeldbox button:has-text('Op de wachtlijst')")
    assert "Je staat op de wachtlijst (nummer 1)." in page.inner_text("#aanmeldbox")
    check_accessibility(page, "wachtlijst")

    other = _second_tab_as(browser, site_url, first.user)
    other.goto(site_url + bijeenkomst.get_absolute_url())
    other.click("#aanmeldbox button:has-text('annuleren')")
    # The freed place went straight to the one waiting: still full for anyone else.
    assert "geannuleerd" in other.inner_text("main")
    assert "0 plaatsen over" in other.inner_text("#aanmeldbox")
    other.context.close()

    page.reload()
    box = page.inner_text("#aanmeldbox")
    assert "Je bent aangemeld." in box and "wachtlijst" not in box
    assert "0 plaatsen over" in box  # the free place went to the one waiting
    smtp.wait_for(2)  # the waiting-list placement and the promotion
    subjects = sorted(m["Subject"] for m in smtp.to(lid_rotterdam.email))
    assert subjects == [
        f"Er is een plek voor je: {bijeenkomst.titel}",
        f"Wachtlijst: {bijeenkomst.titel}",
    ]


def test_a_guest_registers_and_confirms_by_the_mailed_link(
    page, site_url, settings, smtp, eager_celery, twente
):
    import re

    settings.SITE_URL = site_url
    bijeenkomst = factories.BijeenkomstFactory(
        titel="Open themabijeenkomst", netwerken=[twente], capaciteit=20
    )
    page.goto(site_url + bijeenkomst.get_absolute_url())
    assert "20 plaatsen over" in page.inner_text("#aanmeldbox")
    page.click("#aanmeldbox a:has-text('gast')")
    check_accessibility(page, "gastformulier")
    page.fill("#id_gast_naam", "Gerrit Gast")
    page.fill("#id_gast_email", "gerrit@example.org")
    page.click("main button:has-text('gast')")
    assert "gerrit@example.org" in page.inner_text("main")
    page.goto(site_url + bijeenkomst.get_absolute_url())
    assert "20 plaatsen over" in page.inner_text("#aanmeldbox")  # unconfirmed: no place yet

    smtp.wait_for(1)
    [mail] = smtp.to("gerrit@example.org")
    link = re.search(r"https?://\S+/gast/bevestigen/\S+/", text_part(mail))[0]
    assert link.startswith(site_url)
    page.goto(link)  # opening the link alone confirms nothing (mail scanners follow links)
    page.goto(site_url + bijeenkomst.get_absolute_url())
    assert "20 plaatsen over" in page.inner_text("#aanmeldbox")
    page.goto(link)
    check_accessibility(page, "gast-bevestigen")
    page.click("main button:has-text('Bevestig')")
    assert "Bevestigd" in page.inner_text("main")
    page.goto(site_url + bijeenkomst.get_absolute_url())
    assert "19 plaatsen over" in page.inner_text("#aanmeldbox")
