"""The public action plan page in real Chromium: axe and the W3C checker find nothing, for a
visitor and for a member who follows a point with the keyboard."""

import pytest

from actieplannen import services
from actieplannen.models import Status, Volger
from netwerken.models import Subregio
from tests import factories
from tests.bijeenkomsten.test_portal_browser import log_in
from tests.conftest import check_accessibility

from .conftest import first_point, make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _plan(twente, member):
    plan = make_plan(twente, challenges=2, points=2, notes=2)
    services.plan_update(plan=plan, inleiding="Uit de bevraging van 435 sociale professionals.")
    koepelplan = services.plan_create(koepel=twente.koepel, titel="Vlaams actieplan")
    services.plan_update(plan=plan, koepelplan=koepelplan)
    punt = first_point(plan)
    meeting = factories.BijeenkomstFactory(titel="World Social Work Day", netwerken=[twente])
    services.action_point_update(
        actiepunt=punt,
        status=Status.LOPEND,
        trekkers=[member.lid],
        bijeenkomsten=[meeting],
        doel="Sociaal werk zichtbaar maken.",
    )
    hageland = Subregio.objects.create(netwerk=twente, naam="Hageland")
    services.challenge_update(uitdaging=plan.uitdagingen.last(), subregio=hageland)
    return plan, punt


def test_visitor_and_member_read_the_plan_and_the_member_follows_a_point(
    page, site_url, twente, kern_twente
):
    plan, punt = _plan(twente, kern_twente)
    page.goto(f"{site_url}/actieplannen/netwerk/{twente.slug}/")
    assert page.get_by_text("Status: lopend").count() == 1
    check_accessibility(page, "actieplan-bezoeker")
    page.goto(f"{site_url}/actieplannen/koepel/{twente.koepel.slug}/")
    check_accessibility(page, "actieplan-koepel")

    log_in(page, site_url, kern_twente)
    page.goto(f"{site_url}/actieplannen/netwerk/{twente.slug}/")
    page.get_by_role("button", name=f"Volgen “{punt.titel}” in mijn nieuwsbrief").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=de voortgang komt in je nieuwsbrief")
    assert Volger.objects.filter(actiepunt=punt, lid=kern_twente.lid).exists()
    check_accessibility(page, "actieplan-lid-volgt")
