"""A member's own registrations: one page, and a mark wherever meetings are listed."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bijeenkomsten import services
from portal import pagecache
from tests import factories

MINE = reverse("bijeenkomsten:mijn_aanmeldingen")


def _register(bijeenkomst, user):
    return services.registration_create(bijeenkomst_id=bijeenkomst.pk, lid=user.lid)


def test_my_registrations_lists_upcoming_with_waiting_position_and_past(client, cast, twente):
    kern = cast["kern_twente"]
    open_meeting = factories.BijeenkomstFactory(titel="Intervisie in Hengelo", netwerken=[twente])
    full = factories.BijeenkomstFactory(titel="Volle avond", capaciteit=1, netwerken=[twente])
    _register(full, cast["betrokken_twente"])
    other = factories.LidFactory()
    factories.AanmeldingFactory(bijeenkomst=full, lid=other, status="wachtlijst")
    past = factories.BijeenkomstFactory(
        titel="Oude themabijeenkomst",
        netwerken=[twente],
        begin=timezone.now() - timedelta(days=40),
    )
    factories.AanmeldingFactory(bijeenkomst=past, lid=kern.lid, status="aanwezig")
    not_mine = factories.BijeenkomstFactory(titel="Niet de mijne", netwerken=[twente])
    _register(open_meeting, kern)
    _register(full, kern)  # waiting, behind the earlier waiting registration? core goes first

    client.force_login(kern)
    page = client.get(MINE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Intervisie in Hengelo" in html and "Volle avond" in html
    assert "Oude themabijeenkomst" in html and "Aanwezig" in html
    assert "Niet de mijne" not in html and not_mine.titel not in html
    # Core members of the organising network go before the second tier on the waiting list.
    assert "Op de wachtlijst (nummer 1)" in html
    upcoming = html.index("Intervisie in Hengelo")
    assert upcoming < html.index("Oude themabijeenkomst")
    assert reverse("bijeenkomsten:mijn_aanmeldingen") in client.get("/").content.decode()


def test_the_position_on_the_page_agrees_with_the_meeting_page(client, cast, twente):
    full = factories.BijeenkomstFactory(capaciteit=1, netwerken=[twente])
    _register(full, cast["kern_twente"])
    for _ in range(2):
        waiting = factories.LidFactory()
        factories.LidmaatschapFactory(lid=waiting, netwerk=twente, schil="betrokken")
        services.registration_create(bijeenkomst_id=full.pk, lid=waiting)
    mine = _register(full, cast["betrokken_twente"])
    assert services.waiting_list_position(mine) == 3
    client.force_login(cast["betrokken_twente"])
    assert "Op de wachtlijst (nummer 3)" in client.get(MINE).content.decode()
    assert "nummer 3" in client.get(full.get_absolute_url()).content.decode()


def test_a_full_meeting_where_i_hold_a_place_is_marked_mine_not_full(client, cast, twente):
    other_core = factories.LidmaatschapFactory(netwerk=twente, schil="kern").lid.user
    full = factories.BijeenkomstFactory(titel="Volle avond", capaciteit=1, netwerken=[twente])
    _register(full, cast["kern_twente"])
    programma = factories.HalfjaarprogrammaFactory(netwerk=twente)
    in_programme = factories.BijeenkomstFactory(netwerken=[twente], programma=programma)
    _register(in_programme, cast["kern_twente"])
    lists = [
        "/",
        reverse("netwerken:detail", args=["twente"]),
        programma.get_absolute_url(),
    ]
    client.force_login(cast["kern_twente"])
    for url in lists:
        html = client.get(url).content.decode()
        assert "je bent aangemeld" in html, url
    agenda = client.get("/").content.decode()
    assert "vol, wachtlijst" not in agenda and '· <span class="plaatsen">vol</span>' in agenda
    # Another core member, who sees exactly what I see, gets it full and no mark of mine.
    client.force_login(other_core)
    other = client.get("/").content.decode()
    assert "vol, wachtlijst" in other and "je bent aangemeld" not in other


def test_the_archive_marks_what_i_attended(client, cast, twente):
    past = factories.BijeenkomstFactory(
        netwerken=[twente], begin=timezone.now() - timedelta(days=10)
    )
    factories.AanmeldingFactory(bijeenkomst=past, lid=cast["kern_twente"].lid, status="aanwezig")
    client.force_login(cast["kern_twente"])
    assert "je was aanwezig" in client.get(reverse("bijeenkomsten:archief")).content.decode()


def test_visitors_are_sent_to_log_in(client):
    response = client.get(MINE)
    assert response.status_code == 302 and "login" in response["Location"]


def _queries(client, url: str) -> int:
    pagecache.bump_content_version()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [MINE, "/"])
def test_my_registrations_cost_a_fixed_number_of_queries(client, cast, twente, url):
    kern = cast["kern_twente"]
    client.force_login(kern)

    def add(n: int) -> None:
        for i in range(n):
            future = factories.BijeenkomstFactory(netwerken=[twente], capaciteit=1)
            factories.AanmeldingFactory(bijeenkomst=future, lid=factories.LidFactory())
            factories.AanmeldingFactory(bijeenkomst=future, lid=kern.lid, status="wachtlijst")
            past = factories.BijeenkomstFactory(
                netwerken=[twente], begin=timezone.now() - timedelta(days=5 + i)
            )
            factories.AanmeldingFactory(bijeenkomst=past, lid=kern.lid, status="aanwezig")

    add(3)
    small = _queries(client, url)
    add(40)
    large = _queries(client, url)
    assert small == large


def test_a_cancelled_meeting_offers_no_registration_box(client, cast, twente):
    bijeenkomst = factories.BijeenkomstFactory(netwerken=[twente], capaciteit=10)
    _register(bijeenkomst, cast["kern_twente"])
    services.meeting_cancel(bijeenkomst_id=bijeenkomst.pk)
    client.force_login(cast["kern_twente"])
    html = client.get(bijeenkomst.get_absolute_url()).content.decode()
    assert "ze gaat niet door" in html and "Je aanmelding vervalt" in html
    assert "Je bent aangemeld." not in html
    assert reverse("bijeenkomsten:afmelden", args=[bijeenkomst.slug]) not in html
    assert "plaatsen over" not in html
    client.force_login(cast["betrokken_twente"])
    html = client.get(bijeenkomst.get_absolute_url()).content.decode()
    assert reverse("bijeenkomsten:aanmelden", args=[bijeenkomst.slug]) not in html


def test_the_network_page_shows_where_i_stand_instead_of_offering_to_join(client, cast, twente):
    join = reverse("leden:meedoen", args=["twente"])
    page = reverse("netwerken:detail", args=["twente"])
    assert join in client.get(page).content.decode()  # a visitor is invited
    client.force_login(cast["kern_twente"])
    html = client.get(page).content.decode()
    assert "Je bent lid: kern (1e schil)." in html and join not in html
    pending = factories.LidmaatschapFactory(netwerk=twente, status="aangevraagd").lid.user
    client.force_login(pending)
    html = client.get(page).content.decode()
    assert "Je aanvraag ligt bij de coördinatoren." in html and join not in html
    client.force_login(cast["lid_rotterdam"])
    assert join in client.get(page).content.decode()


def test_an_empty_profile_leads_to_the_networks(client, db):
    user = factories.LidFactory().user
    client.force_login(user)
    html = client.get(reverse("leden:profiel")).content.decode()
    assert "Kies een netwerk om je bij aan te sluiten" in html and "/#netwerken-kop" in html


def test_a_moved_meeting_gets_a_new_address_and_the_old_one_leads_there(client, twente):
    from django.utils import timezone as tz

    begin = tz.now().replace(hour=18, minute=0, second=0, microsecond=0) + timedelta(days=20)
    bijeenkomst = factories.BijeenkomstFactory(titel="Intervisie", netwerken=[twente])
    bijeenkomst = services.meeting_save(
        bijeenkomst=factories.BijeenkomstFactory.build(
            titel="Sociaal café", begin=begin, einde=begin + timedelta(hours=2), slug=""
        )
    )
    bijeenkomst.netwerken.add(twente)
    old = bijeenkomst.get_absolute_url()
    assert f"{tz.localdate(begin):%Y-%m-%d}" in old
    later = begin + timedelta(days=7)
    services.meeting_move(bijeenkomst=bijeenkomst, begin=later, einde=later + timedelta(hours=2))
    bijeenkomst.refresh_from_db()
    new = bijeenkomst.get_absolute_url()
    assert new != old and f"{tz.localdate(later):%Y-%m-%d}" in new
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == new
    assert f"{tz.localdate(begin):%Y-%m-%d}" not in client.get(new).content.decode()
    ics = client.get(reverse("bijeenkomsten:ics", args=[old.strip("/").split("/")[-1]]))
    assert ics.status_code == 301 and ics["Location"].endswith(f"{bijeenkomst.slug}/agenda.ics")
    # Moved within its day, it keeps its address.
    services.meeting_move(
        bijeenkomst=bijeenkomst,
        begin=later + timedelta(hours=1),
        einde=later + timedelta(hours=3),
    )
    bijeenkomst.refresh_from_db()
    assert bijeenkomst.get_absolute_url() == new


def test_an_old_address_of_a_hidden_meeting_answers_404(client, twente):
    kern = factories.BijeenkomstFactory(netwerken=[twente], doelgroep="kern")
    old = kern.slug
    later = kern.begin + timedelta(days=3)
    services.meeting_move(bijeenkomst=kern, begin=later, einde=later + timedelta(hours=2))
    assert client.get(reverse("bijeenkomsten:detail", args=[old])).status_code == 404


def test_staff_do_not_share_where_they_stand_in_a_network(client, staff, twente):
    """Staff see the same meetings, so they shared one cached page; their own membership on
    it must still be their own (found in review)."""
    from tests.accountfixtures import give_totp

    member_staff = factories.LidmaatschapFactory(netwerk=twente, schil="kern").lid.user
    member_staff.is_staff = member_staff.is_superuser = True
    member_staff.save()
    give_totp(member_staff)
    page = reverse("netwerken:detail", args=["twente"])
    client.force_login(member_staff)
    assert "Je bent lid: kern (1e schil)." in client.get(page).content.decode()
    client.force_login(staff)
    html = client.get(page).content.decode()
    assert "Je bent lid" not in html and reverse("leden:meedoen", args=["twente"]) in html
