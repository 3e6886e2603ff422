"""The mail-preference page in real headless Chromium, with axe-core."""

import pytest

from leden.models import Mailvoorkeur
from tests import factories
from tests.bijeenkomsten.test_portal_browser import log_in
from tests.conftest import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_switches_off_reminders_for_one_network_on_an_accessible_dutch_page(
    page, site_url, twente, rotterdam, kern_twente
):
    factories.LidmaatschapFactory(lid=kern_twente.lid, netwerk=rotterdam, schil="betrokken")
    log_in(page, site_url, kern_twente)
    page.goto(site_url + "/berichten/voorkeuren/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.inner_text("h1") == "Mailvoorkeuren"
    check_accessibility(page, "mailvoorkeuren")

    page.uncheck(f"#id_netwerk-{twente.pk}-herinneringen")
    page.check(f"input[name='netwerk-{rotterdam.pk}-nieuwsbrief'][value='maandelijks']")
    page.click("main button[type=submit]:has-text('Opslaan')")
    assert "Je mailvoorkeuren zijn opgeslagen." in page.inner_text("main")
    check_accessibility(page, "mailvoorkeuren-opgeslagen")
    assert sorted(
        Mailvoorkeur.objects.values_list("netwerk__slug", "herinneringen", "nieuwsbrief")
    ) == [("rotterdam", True, "maandelijks"), ("twente", False, "nooit")]
    assert not page.is_checked(f"#id_netwerk-{twente.pk}-herinneringen")
