"""The public action plan pages: progress in words, pullers for members only, follow, and a
fixed number of queries whatever the plan's size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actieplannen import services
from actieplannen.models import Status, Volger
from netwerken.models import Subregio
from tests import factories
from tests.bevragingen.conftest import build_survey

from .conftest import first_point, make_plan

pytestmark = pytest.mark.django_db


def page(client, netwerk) -> str:
    response = client.get(reverse("actieplannen:netwerk", args=[netwerk.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_visitors_see_the_plan_with_status_in_words_and_progress(client, plan_twente, twente):
    punt = first_point(plan_twente)
    services.action_point_update(actiepunt=punt, status=Status.LOPEND)
    html = page(client, twente)
    assert plan_twente.titel in html and "Uitdaging 1" in html
    assert "Status: lopend" in html and "Status: idee" in html
    assert "Voortgang 1" in html
    assert "lopend: 1 actiepunt" in html and "idee: 1 actiepunt" in html
    assert "Volgen" not in html  # visitors cannot follow


def test_pullers_are_named_to_the_networks_members_only(
    client, plan_twente, twente, kern_twente, lid_rotterdam
):
    services.action_point_update(actiepunt=first_point(plan_twente), trekkers=[kern_twente.lid])
    assert "Kern Twente" not in page(client, twente)
    client.force_login(lid_rotterdam)
    assert "Kern Twente" not in page(client, twente)
    client.force_login(kern_twente)
    assert "Kern Twente" in page(client, twente)


def test_only_published_meetings_that_feed_a_point_are_shown(client, plan_twente, twente):
    shown = factories.BijeenkomstFactory(titel="Open avond", netwerken=[twente])
    draft = factories.HalfjaarprogrammaFactory(netwerk=twente, gepubliceerd=False)
    hidden = factories.BijeenkomstFactory(titel="Concept", netwerken=[twente], programma=draft)
    services.action_point_update(actiepunt=first_point(plan_twente), bijeenkomsten=[shown, hidden])
    html = page(client, twente)
    assert "Open avond" in html and "Concept" not in html


def test_a_sub_regions_challenge_says_so(client, twente):
    hageland = Subregio.objects.create(netwerk=twente, naam="Hageland")
    plan = services.plan_create(netwerk=twente, titel="Plan")
    services.challenge_create(plan=plan, titel="Beweging", subregio=hageland)
    assert "Opgenomen door de subregio Hageland." in page(client, twente)


def test_a_member_follows_and_unfollows_a_point(client, plan_twente, twente, betrokken_twente):
    punt = first_point(plan_twente)
    client.force_login(betrokken_twente)
    url = reverse("actieplannen:volgen", args=[punt.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/actieplannen/netwerk/twente/#punt-{punt.pk}")
    assert Volger.objects.filter(actiepunt=punt, lid=betrokken_twente.lid).exists()
    assert "Niet meer volgen" in page(client, twente)
    client.post(url, {"stop": "1"})
    assert not Volger.objects.exists()


def test_following_needs_a_login_and_a_post(client, plan_twente, kern_twente):
    url = reverse("actieplannen:volgen", args=[first_point(plan_twente).pk])
    assert client.post(url).status_code == 302 and not Volger.objects.exists()
    client.force_login(kern_twente)
    assert client.get(url).status_code == 405


def test_umbrella_page_shows_its_plan_and_the_networks_that_add_to_it(client, twente):
    koepelplan = services.plan_create(koepel=twente.koepel, titel="Vlaams actieplan")
    services.plan_create(netwerk=twente, titel="Regionaal plan", koepelplan=koepelplan)
    html = client.get(reverse("actieplannen:koepel", args=[twente.koepel.slug])).content.decode()
    assert "Vlaams actieplan" in html and twente.naam in html
    assert "Vlaams actieplan" in page(client, twente)


def test_network_without_a_plan_says_so(client, rotterdam):
    assert "Dit netwerk heeft nog geen actieplan." in page(client, rotterdam)


def test_the_network_page_links_to_its_action_plan(client, twente):
    html = client.get(twente.get_absolute_url()).content.decode()
    assert reverse("actieplannen:netwerk", args=["twente"]) in html


@pytest.mark.parametrize("role", ["visitor", "kern_twente"])
def test_the_plan_page_takes_the_same_queries_for_a_small_and_a_large_plan(
    client, twente, role, request, django_assert_num_queries
):
    if role != "visitor":
        client.force_login(request.getfixturevalue(role))
    plan = make_plan(twente, challenges=1, points=1, notes=1)
    meeting = factories.BijeenkomstFactory(netwerken=[twente])
    lid = factories.LidmaatschapFactory(netwerk=twente).lid
    services.action_point_update(
        actiepunt=first_point(plan),
        trekkers=[lid],
        bijeenkomsten=[meeting],
        bevragingen=[build_survey(twente, questions=1, titel="Wat heb je nodig?")],
    )
    page(client, twente)  # sessions and the like settle
    with CaptureQueriesContext(connection) as small:
        page(client, twente)
    for c in range(4):
        uitdaging = services.challenge_create(plan=plan, titel=f"Extra {c}")
        for p in range(5):
            punt = services.action_point_create(
                uitdaging=uitdaging,
                titel=f"Extra {c}.{p}",
                trekkers=[lid],
                bijeenkomsten=[factories.BijeenkomstFactory(netwerken=[twente])],
                bevragingen=[build_survey(twente, questions=1, titel=f"Bevraging {c}.{p}")],
            )
            services.progress_add(actiepunt=punt, tekst="Meer")
            services.progress_add(actiepunt=punt, tekst="Nog meer")
    make_plan(twente, challenges=2, points=3, notes=2)  # a second plan
    with django_assert_num_queries(len(small)):
        html = page(client, twente)
    assert html.count('class="card mb-3"') == 1 + 20 + 6
    # The surveys that feed a point are named on it, linked to the network's published results.
    assert "Wat heb je nodig?" in html and "Bevraging 3.4" in html
    assert html.count(reverse("bevragingen_netwerk:gepubliceerd", args=["twente"])) >= 21
