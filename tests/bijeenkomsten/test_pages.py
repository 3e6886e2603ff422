"""Members' portal pages: who sees what, filters, and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal import pagecache
from tests import factories
from tests.accountfixtures import give_totp
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db


def client_for(client, user):
    if user.is_authenticated:
        client.force_login(user)
    return client


@pytest.fixture
def meetings(twente):
    draft = factories.HalfjaarprogrammaFactory(netwerk=twente, gepubliceerd=False)
    return {
        "open": factories.BijeenkomstFactory(doelgroep="open", netwerken=[twente]),
        "leden": factories.BijeenkomstFactory(doelgroep="leden", netwerken=[twente]),
        "netwerk": factories.BijeenkomstFactory(doelgroep="netwerk", netwerken=[twente]),
        "kern": factories.BijeenkomstFactory(doelgroep="kern", netwerken=[twente]),
        "concept": factories.BijeenkomstFactory(
            doelgroep="open", netwerken=[twente], programma=draft
        ),
    }


# Expected status per meeting audience and role: 404 hides what must stay hidden.
EXPECTED = {
    "open": dict.fromkeys(ROLES, 200),
    "leden": {**dict.fromkeys(ROLES, 200), "visitor": 404},
    # The organising network's members, both tiers: a Rotterdam member is kept out.
    "netwerk": {**dict.fromkeys(ROLES, 200), "visitor": 404, "lid_rotterdam": 404},
    "kern": {
        "visitor": 404,
        "lid_rotterdam": 404,
        "betrokken_twente": 404,
        "kern_twente": 200,
        "coordinator_twente": 200,
        "staff": 200,
    },
    "concept": {
        "visitor": 404,
        "lid_rotterdam": 404,
        "betrokken_twente": 404,
        "kern_twente": 404,
        "coordinator_twente": 200,
        "staff": 200,
    },
}


@pytest.mark.parametrize("audience", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_meeting_page_visibility_matrix(client, cast, meetings, audience, role):
    bijeenkomst = meetings[audience]
    response = client_for(client, cast[role]).get(bijeenkomst.get_absolute_url())
    assert response.status_code == EXPECTED[audience][role]
    ics = client.get(reverse("bijeenkomsten:ics", args=[bijeenkomst.slug]))
    assert ics.status_code == EXPECTED[audience][role]


def test_coordinator_does_not_see_another_networks_core_meeting(client, cast, rotterdam):
    hidden = factories.BijeenkomstFactory(doelgroep="kern", netwerken=[rotterdam])
    client.force_login(cast["coordinator_twente"])
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_staff_permission_holder_sees_every_network(client, rotterdam):
    user = factories.UserFactory(is_staff=True)
    give_totp(user)  # staff rights wait for the second factor
    user.user_permissions.add(Permission.objects.get(codename="alle_netwerken"))
    hidden = factories.BijeenkomstFactory(doelgroep="kern", netwerken=[rotterdam])
    client.force_login(user)
    assert client.get(hidden.get_absolute_url()).status_code == 200


def test_losing_staff_rights_through_a_group_hides_core_meetings_at_once(client, rotterdam):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Koepelstaf")
    group.permissions.add(Permission.objects.get(codename="alle_netwerken"))
    user = factories.UserFactory(is_staff=True)
    give_totp(user)
    user.groups.add(group)
    hidden = factories.BijeenkomstFactory(doelgroep="kern", netwerken=[rotterdam])
    client.force_login(user)
    assert client.get(hidden.get_absolute_url()).status_code == 200  # now cached as "staff"
    group.permissions.clear()
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_agenda_lists_only_what_the_visitor_may_see(client, meetings):
    content = client.get("/").content.decode()
    assert meetings["open"].titel in content
    assert meetings["leden"].titel not in content
    assert meetings["kern"].titel not in content
    assert meetings["concept"].titel not in content


def test_agenda_filters_by_network_in_the_query_string(client, twente, rotterdam):
    ours = factories.BijeenkomstFactory(netwerken=[twente])
    theirs = factories.BijeenkomstFactory(netwerken=[rotterdam])
    content = client.get("/", {"netwerk": "rotterdam"}).content.decode()
    assert theirs.titel in content and ours.titel not in content


def test_archive_search_finds_words_in_reports_and_programme_parts(client, twente):
    from datetime import timedelta

    from django.utils import timezone

    past = timezone.now() - timedelta(days=30)
    report = factories.BijeenkomstFactory(
        begin=past, verslag="Over wijkteams en privacy", netwerken=[twente]
    )
    part = factories.BijeenkomstFactory(begin=past, netwerken=[twente])
    factories.ProgrammaonderdeelFactory(bijeenkomst=part, titel="Workshop wijkteams")
    other = factories.BijeenkomstFactory(begin=past, netwerken=[twente])
    content = client.get(reverse("bijeenkomsten:archief"), {"zoek": "wijkteams"}).content.decode()
    assert report.titel in content and part.titel in content and other.titel not in content


def test_join_link_is_shown_only_to_registered_members(client, cast, twente):
    bijeenkomst = factories.BijeenkomstFactory(
        doelgroep="leden",
        locatie="",
        online_link="https://meet.example.org/geheim",
        netwerken=[twente],
    )
    client.force_login(cast["kern_twente"])
    assert (
        "meet.example.org/geheim" not in client.get(bijeenkomst.get_absolute_url()).content.decode()
    )
    client.post(reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug]))
    assert "meet.example.org/geheim" in client.get(bijeenkomst.get_absolute_url()).content.decode()


def test_registering_lowers_the_place_count_on_the_page(client, cast, twente):
    """The pages are cached: one's own registration must still show at once."""
    bijeenkomst = factories.BijeenkomstFactory(capaciteit=5, netwerken=[twente])
    client.force_login(cast["kern_twente"])
    pages = [bijeenkomst.get_absolute_url(), "/", reverse("netwerken:detail", args=["twente"])]
    for url in pages:
        assert "5 plaatsen over" in client.get(url).content.decode(), url
    client.post(reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug]))
    for url in pages:
        assert "4 plaatsen over" in client.get(url).content.decode(), url


def test_a_full_meeting_says_so_in_the_lists(client, cast, twente):
    bijeenkomst = factories.BijeenkomstFactory(capaciteit=1, netwerken=[twente])
    factories.AanmeldingFactory(bijeenkomst=bijeenkomst)
    for url in ["/", reverse("netwerken:detail", args=["twente"])]:
        content = client.get(url).content.decode()
        assert "vol, wachtlijst" in content and "0 plaatsen over" not in content, url


def test_a_cached_page_costs_no_query_for_its_content(client, cast, twente):
    build_data(twente, factories.HalfjaarprogrammaFactory(netwerk=twente), 5)
    first = client.get("/")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/")
    assert again.content == first.content
    assert len(queries) == 0  # a visitor's agenda comes whole from the cache
    client.force_login(cast["kern_twente"])
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    # Session and user (Django's own), and the member's networks that pick the cached copy.
    assert len(queries) <= 3, [q["sql"] for q in queries]


def test_an_edit_in_the_admin_shows_at_once(client, twente):
    bijeenkomst = factories.BijeenkomstFactory(titel="Oude titel", netwerken=[twente])
    assert "Oude titel" in client.get("/").content.decode()
    assert "Oude titel" in client.get(bijeenkomst.get_absolute_url()).content.decode()
    bijeenkomst.titel = "Nieuwe titel"
    bijeenkomst.save()
    for url in ["/", bijeenkomst.get_absolute_url(), reverse("netwerken:detail", args=["twente"])]:
        content = client.get(url).content.decode()
        assert "Nieuwe titel" in content and "Oude titel" not in content, url


def test_the_cache_tells_members_and_visitors_apart(client, cast, twente):
    """A members-only meeting cached for a member is not served to a visitor."""
    leden = factories.BijeenkomstFactory(
        titel="Alleen voor leden", doelgroep="leden", netwerken=[twente]
    )
    client.force_login(cast["kern_twente"])
    assert leden.titel in client.get("/").content.decode()
    assert client.get(leden.get_absolute_url()).status_code == 200
    client.logout()
    assert leden.titel not in client.get("/").content.decode()
    assert client.get(leden.get_absolute_url()).status_code == 404


def build_data(twente, programma, n: int) -> None:
    """n upcoming meetings with a registration and a programme part, and n past ones with a
    report and material, so every list, count and prefetch on the pages has rows to grow."""
    from bijeenkomsten.models import Materiaal

    for i in range(n):
        upcoming = factories.BijeenkomstFactory(netwerken=[twente], programma=programma)
        factories.AanmeldingFactory(bijeenkomst=upcoming)
        factories.ProgrammaonderdeelFactory(bijeenkomst=upcoming)
        past = factories.BijeenkomstFactory(
            netwerken=[twente],
            programma=programma,
            begin=timezone.now() - timedelta(days=30 + i),
            verslag="Verslag van de avond",
        )
        Materiaal.objects.create(
            bijeenkomst=past, soort="video", titel="Opname", url="https://example.org/v"
        )


def count_queries(client, url: str) -> int:
    """Queries of a page rendered afresh (its cached copy invalidated first)."""
    pagecache.bump_content_version()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("role", ["visitor", "kern_twente"])
def test_pages_issue_a_fixed_number_of_queries_whatever_the_data_size(client, cast, twente, role):
    from leden.services import lid_calendar_token_renew

    client_for(client, cast[role])
    programma = factories.HalfjaarprogrammaFactory(netwerk=twente)
    token = lid_calendar_token_renew(lid=cast["kern_twente"].lid)

    def urls():
        first = programma.bijeenkomsten.order_by("begin").last()
        return [
            "/",
            reverse("bijeenkomsten:archief"),
            reverse("netwerken:detail", args=[twente.slug]),
            first.get_absolute_url(),
            programma.get_absolute_url(),
            reverse("netwerken:ics", args=[twente.slug]),
            reverse("persoonlijke_agenda", args=[token]),
        ]

    build_data(twente, programma, 5)
    small = [count_queries(client, url) for url in urls()]
    build_data(twente, programma, 195)
    large = [count_queries(client, url) for url in urls()]
    assert small == large, list(zip(urls(), small, large, strict=True))
    # 12: lists mark the member's own registrations (one query), and the network page says
    # where the member stands in that network (one query, made only with the page's content).
    assert max(large) <= 12, large


def test_a_visitors_cached_page_holds_nothing_personal(client, cast, twente):
    """Whole pages are kept for visitors only, without a CSRF token or anyone's name."""
    bijeenkomst = factories.BijeenkomstFactory(doelgroep="open", netwerken=[twente])
    client.force_login(cast["kern_twente"])
    as_member = client.get(bijeenkomst.get_absolute_url()).content.decode()
    assert "csrfmiddlewaretoken" in as_member  # the member's register button
    client.logout()
    for _ in range(2):  # made, then served from the cache
        as_visitor = client.get(bijeenkomst.get_absolute_url()).content.decode()
        assert "csrfmiddlewaretoken" not in as_visitor
        assert "Kern Twente" not in as_visitor and reverse("account_login") in as_visitor


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(client, rf, twente):
    from django.contrib import messages
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse

    client.get("/")  # now cached
    storage = CookieStorage(rf.get("/"))
    storage.add(messages.INFO, "Tot ziens, bezoeker")
    response = HttpResponse()
    storage.update(response)
    client.cookies[CookieStorage.cookie_name] = response.cookies[CookieStorage.cookie_name].value
    assert "Tot ziens, bezoeker" in client.get("/").content.decode()
    assert "Tot ziens, bezoeker" not in client.get("/").content.decode()  # shown once


def test_network_page_lists_at_most_a_hundred_fellow_members_core_first(client, cast, twente):
    from leden.selectors import FELLOW_MEMBERS_SHOWN

    for i in range(FELLOW_MEMBERS_SHOWN + 1):
        lid = factories.LidFactory(naam=f"Betrokkene {i:03d}")
        factories.LidmaatschapFactory(lid=lid, netwerk=twente, schil="betrokken")
    client.force_login(cast["kern_twente"])
    content = client.get(reverse("netwerken:detail", args=["twente"])).content.decode()
    from leden.models import Lidmaatschap

    active = Lidmaatschap.objects.filter(netwerk=twente, status="actief")
    others = active.exclude(lid__naam__startswith="Betrokkene").count()
    assert "Kern Twente" in content  # core first, so the core member is among those shown
    assert content.count("Betrokkene ") == FELLOW_MEMBERS_SHOWN - others
    assert f"van {active.count()}" in content


def test_an_accepted_member_sees_core_meetings_at_once_and_not_after_leaving(client, twente):
    from leden import services as leden_services

    kern = factories.BijeenkomstFactory(titel="Kernoverleg", doelgroep="kern", netwerken=[twente])
    lid = factories.LidFactory()
    request = leden_services.membership_request(
        lid=lid, netwerk_id=twente.pk, schil="kern", motivatie="Graag"
    )
    client.force_login(lid.user)
    assert kern.titel not in client.get("/").content.decode()  # cached for a mere applicant
    leden_services.membership_accept(lidmaatschap_id=request.pk, schil="kern")
    assert kern.titel in client.get("/").content.decode()
    assert client.get(kern.get_absolute_url()).status_code == 200
    leden_services.membership_leave(lid=lid, netwerk_id=twente.pk)
    assert kern.titel not in client.get("/").content.decode()
    assert client.get(kern.get_absolute_url()).status_code == 404


def test_fellow_members_see_each_others_photos_visitors_do_not(client, cast, twente):
    lid = cast["betrokken_twente"].lid
    lid.foto.name = "leden/betrokken.jpg"
    lid.save(update_fields=["foto"])
    photo = reverse("leden:foto", args=[lid.pk])
    url = reverse("netwerken:detail", args=["twente"])
    assert photo not in client.get(url).content.decode()
    client.force_login(cast["kern_twente"])
    assert photo in client.get(url).content.decode()


def test_a_members_cached_page_is_their_own_and_its_token_still_works(cast, twente):
    import re

    from django.test import Client

    bijeenkomst = factories.BijeenkomstFactory(capaciteit=5, netwerken=[twente])
    url = bijeenkomst.get_absolute_url()
    kern = Client(enforce_csrf_checks=True)
    kern.force_login(cast["kern_twente"])
    kern.get(url)  # sets the CSRF cookie the member's copy is bound to
    kern.get(url)  # kept
    with CaptureQueriesContext(connection) as queries:
        cached = kern.get(url).content.decode()  # from the cache: no query for the page
    assert all("bijeenkomst" not in q["sql"] for q in queries), [q["sql"] for q in queries]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', cached)[1]
    registered = kern.post(
        reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug]), {"csrfmiddlewaretoken": token}
    )
    assert registered.status_code == 302  # the cached token belongs to this member's cookie
    assert "Je bent aangemeld." in kern.get(url).content.decode()

    other = Client()
    other.force_login(cast["betrokken_twente"])
    content = other.get(url).content.decode()
    assert "Je bent aangemeld." not in content and "4 plaatsen over" in content


@pytest.mark.parametrize("cost, low, high", [(0.0, 0, 0), (60.0, 0.2, 0.55)])
def test_entries_are_made_anew_early_by_a_few_readers_not_all_at_expiry(rf, cost, low, high):
    """An entry that took `cost` seconds to make counts as missing for some readers before it
    expires (e^-1 of them when the cost equals its lifetime), so one remakes it early."""
    key = "pagecache:test-early"
    pagecache._set(_request_at_version(rf), key, "inhoud", cost=cost)
    misses = sum(pagecache._get(_request_at_version(rf), key) is None for _ in range(400))
    assert low * 400 <= misses <= high * 400


def _request_at_version(rf):
    request = rf.get("/")
    pagecache._get(request, None)  # notes the current version on the request
    return request
