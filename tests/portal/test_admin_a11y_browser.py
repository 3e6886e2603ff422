"""The admin pages staff and coordinators work in pass axe-core and the W3C HTML checker.

Django's admin falls short in a few places on its own (tabular inline cells without an
accessible name, help-text ids that are never rendered, a required autocomplete select without
an empty first option, links told apart by colour alone); templates/admin and
static/css/admin.css mend that for every admin page. Each change page with inlines is opened
here, with rows in its inlines, as well as add pages (whose required selects are empty).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actieplannen import services as plan_services
from actieplannen.models import Actiepunt
from bijeenkomsten.models import Materiaal
from tests import factories
from tests.conftest import check_accessibility
from themas.models import Themaronde, Themavoorstel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _programme(twente) -> str:
    programma = factories.HalfjaarprogrammaFactory(netwerk=twente, gepubliceerd=False)
    factories.BijeenkomstFactory(programma=programma, netwerken=[twente], titel="Moreel beraad")
    return reverse("admin:bijeenkomsten_halfjaarprogramma_change", args=[programma.pk])


def _meeting(twente) -> str:
    bijeenkomst = factories.BijeenkomstFactory(netwerken=[twente], capaciteit=20)
    factories.AanmeldingFactory(bijeenkomst=bijeenkomst)
    factories.ProgrammaonderdeelFactory(bijeenkomst=bijeenkomst)
    Materiaal.objects.create(
        bijeenkomst=bijeenkomst, soort=Materiaal.Soort.VERSLAG, titel="Verslag", tekst="Kort."
    )
    return reverse("admin:bijeenkomsten_bijeenkomst_change", args=[bijeenkomst.pk])


def _member(twente) -> str:
    lid = factories.LidFactory(naam="Anna de Vries")
    factories.LidmaatschapFactory(lid=lid, netwerk=twente, schil="kern")
    return reverse("admin:leden_lid_change", args=[lid.pk])


def _network(twente) -> str:
    twente.subregios.create(naam="Noordoost")
    return reverse("admin:netwerken_netwerk_change", args=[twente.pk])


def _theme_round(twente) -> str:
    now = timezone.now()
    ronde = Themaronde.objects.create(
        netwerk=twente,
        jaar=2027,
        helft=1,
        voorstellen_tot=now - timedelta(days=20),
        stemmen_tot=now - timedelta(days=10),
        gesloten_op=now,
    )
    Themavoorstel.objects.create(
        ronde=ronde, titel="Ethiek en privacy", waarom="AVG", gekozen_als=1
    )
    return reverse("admin:themas_themaronde_change", args=[ronde.pk])


def _theme_proposal(twente) -> str:
    _theme_round(twente)
    voorstel = Themavoorstel.objects.get()
    return reverse("admin:themas_themavoorstel_change", args=[voorstel.pk])


def _action_plan(twente) -> str:
    plan = plan_services.plan_create(netwerk=twente, titel="Actieplan Twente")
    uitdaging = plan_services.challenge_create(
        plan=plan, titel="Onderbescherming", subregio=twente.subregios.create(naam="Noordoost")
    )
    punt = plan_services.action_point_create(uitdaging=uitdaging, titel="Rechten verkennen")
    plan_services.progress_add(actiepunt=punt, tekst="Eerste gesprek met het OCMW.")
    return reverse("admin:actieplannen_actieplan_change", args=[plan.pk])


def _action_point(twente) -> str:
    _action_plan(twente)
    punt = Actiepunt.objects.get()
    return reverse("admin:actieplannen_actiepunt_change", args=[punt.pk])


PAGES: dict[str, Callable[..., str]] = {
    "actieplan-wijzigen": _action_plan,
    "actiepunt-wijzigen": _action_point,
    "themaronde-wijzigen": _theme_round,
    "themaronde-toevoegen": lambda twente: reverse("admin:themas_themaronde_add"),
    "themavoorstel-wijzigen": _theme_proposal,
    "programma-wijzigen": _programme,
    "bijeenkomst-wijzigen": _meeting,
    "lid-wijzigen": _member,
    "netwerk-wijzigen": _network,
    "programma-toevoegen": lambda twente: reverse("admin:bijeenkomsten_halfjaarprogramma_add"),
    "bijeenkomst-toevoegen": lambda twente: reverse("admin:bijeenkomsten_bijeenkomst_add"),
    "lidmaatschap-toevoegen": lambda twente: reverse("admin:leden_lidmaatschap_add"),
}


def _open_as_staff(page, site_url: str, staff, path: str) -> None:
    client = Client()
    client.force_login(staff)  # `staff` has TOTP on, without which the admin stays closed
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site_url}]
    )
    page.goto(site_url + path)
    assert page.locator("#content-main form").count() == 1, page.url  # the form, not a login


@pytest.mark.parametrize("name", list(PAGES))
def test_admin_page_passes_axe_and_the_html_checker(page, site_url, staff, twente, name):
    _open_as_staff(page, site_url, staff, PAGES[name](twente))
    check_accessibility(page, f"beheer-{name}")


@pytest.mark.parametrize(
    ("name", "prefix"),
    [
        ("programma-wijzigen", "bijeenkomsten"),
        ("lid-wijzigen", "lidmaatschappen"),
        ("actieplan-wijzigen", "uitdagingen"),
    ],
)
def test_a_row_added_to_an_inline_is_labelled_too(page, site_url, staff, twente, name, prefix):
    """A row added in the browser is a copy of the "__prefix__" row, mended by script."""
    _open_as_staff(page, site_url, staff, PAGES[name](twente))
    rows = page.locator(f"#{prefix}-group tbody tr.form-row:not(.empty-form)")
    before = rows.count()
    page.locator(f"#{prefix}-group .add-row a").click()
    assert rows.count() == before + 1
    # Its inputs point at the help texts of their own row, not at the template row's.
    described = rows.last.locator("[aria-describedby]")
    for index in range(described.count()):
        for target in described.nth(index).get_attribute("aria-describedby").split():
            assert rows.last.locator(f"#{target}").count() == 1, target
    check_accessibility(page, f"beheer-{name}-rij-erbij")
