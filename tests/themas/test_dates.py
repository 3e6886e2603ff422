"""Date polls: members answer candidate evenings, the planner proposes the half-year, the
coordinator adjusts and accepts, and the meetings land in the programme draft."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from berichten.models import Verzending
from bijeenkomsten.models import Bijeenkomst, Halfjaarprogramma
from tests import factories
from tests.themas.conftest import open_round, propose, start_voting, voters
from themas import dates, planner, services, tasks
from themas.models import Antwoord, Beschikbaarheid, Datumpeiling, Kandidaatavond

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
THEMES = ["Ethiek en privacy", "De herziene meldcode", "Wijkteams in de Twentse steden"]


def next_year() -> int:
    return timezone.localdate().year + 1


def closed_round(netwerk, titles=THEMES, helft: int = 1):
    """A round of next year that chose `titles` (every voter approves all of them)."""
    ronde = open_round(
        netwerk, jaar=next_year(), helft=helft, max_stemmen=len(titles), aantal_themas=len(titles)
    )
    proposals = propose(ronde, titles)
    start_voting(ronde)
    for lid in voters(netwerk, 2):
        services.ballot_save(ronde=ronde, lid=lid, voorstel_ids=[p.pk for p in proposals])
    services.round_close(ronde=ronde)
    return ronde


def weekly(count: int, first: date | None = None, step: int = 7) -> list[date]:
    """Candidate dates `step` days (a week) apart, from mid-January of next year."""
    first = first or date(next_year(), 1, 13)
    return [first + timedelta(days=step * i) for i in range(count)]


def open_poll(ronde, days=None, closes_in=timedelta(days=7)) -> Datumpeiling:
    days = days if days is not None else weekly(20)
    return dates.date_poll_open(
        ronde=ronde,
        sluit_op=timezone.now() + closes_in,
        avonden=[(day, time(19, 30), time(21, 30)) for day in days],
    )


def evening(peiling, day: date) -> Kandidaatavond:
    return peiling.avonden.get(datum=day)


def answer(peiling, lid, **by_day: str) -> None:
    """Answers given as d2027_01_13="yes" (a date) → answer."""
    answers = {}
    for key, value in by_day.items():
        day = date(*(int(part) for part in key[1:].split("_")))
        answers[evening(peiling, day).pk] = value
    dates.availability_save(peiling=peiling, lid=lid, antwoorden=answers)


def _key(day: date) -> str:
    return f"d{day.year}_{day.month:02d}_{day.day:02d}"


def test_the_answers_are_the_planners_own_values():
    assert set(Antwoord.values) == {planner.YES, planner.IF_NEED_BE, planner.NO}


def test_the_database_refuses_unknown_answers_and_two_answers_per_evening(twente, kern_twente):
    peiling = open_poll(closed_round(twente))
    avond = peiling.avonden.first()
    Beschikbaarheid.objects.create(avond=avond, lid=kern_twente.lid, antwoord="yes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Beschikbaarheid.objects.create(avond=avond, lid=kern_twente.lid, antwoord="no")
    with pytest.raises(IntegrityError), transaction.atomic():
        Beschikbaarheid.objects.filter(avond=avond).update(antwoord="maybe")
    with pytest.raises(IntegrityError), transaction.atomic():
        Kandidaatavond.objects.create(
            peiling=peiling, datum=avond.datum, begintijd=time(19), eindtijd=time(21)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Kandidaatavond.objects.create(
            peiling=peiling, datum=date(next_year(), 6, 1), begintijd=time(21), eindtijd=time(19)
        )


def test_a_poll_needs_a_closed_round_enough_evenings_in_its_half_year(twente):
    running = open_round(twente, jaar=next_year(), helft=2)
    with pytest.raises(ValidationError, match="nog niet gekozen"):
        open_poll(running)
    ronde = closed_round(twente)
    with pytest.raises(ValidationError, match="minstens 3 avonden"):
        open_poll(ronde, weekly(2))
    with pytest.raises(ValidationError, match="eerste helft"):
        open_poll(ronde, weekly(20, first=date(next_year(), 5, 1)))
    open_poll(ronde)
    with pytest.raises(ValidationError, match="al een datumprikker"):
        open_poll(ronde)


def test_core_members_weigh_most_and_the_plan_spans_the_half_year(twente):
    ronde = closed_round(twente, THEMES[:1])
    days = weekly(2)
    peiling = open_poll(ronde, days)
    core = factories.LidmaatschapFactory(netwerk=twente, schil="kern").lid
    involved = factories.LidmaatschapFactory(netwerk=twente, schil="betrokken").lid
    answer(peiling, core, **{_key(days[0]): "no", _key(days[1]): "yes"})
    answer(peiling, involved, **{_key(days[0]): "yes", _key(days[1]): "if_need_be"})
    proposal = dates.date_plan_propose(peiling=peiling)
    ((theme, row),) = proposal.meetings
    assert theme.titel == THEMES[0] and row.avond.datum == days[1]
    assert row.score == 2 * 5 + 1 * 2
    assert row.yes == [core.naam] and row.if_need_be == [involved.naam]


def test_accepting_puts_the_meetings_in_the_programme_draft_on_the_planned_dates(
    twente, kern_twente
):
    ronde = closed_round(twente)
    peiling = open_poll(ronde)
    # Everyone can come on the 1st, 7th and 13th evening (6 weeks apart).
    good = [weekly(20)[i] for i in (0, 6, 12)]
    for lid in [kern_twente.lid, *voters(twente, 3)]:
        answer(peiling, lid, **{_key(day): "yes" for day in good})
    proposal = dates.date_plan_propose(peiling=peiling)
    assert [row.avond.datum for _theme, row in proposal.meetings] == good
    toewijzing = {theme.pk: row.avond.pk for theme, row in proposal.meetings}
    programma = dates.date_plan_accept(peiling=peiling, toewijzing=toewijzing)

    assert not programma.gepubliceerd
    assert (programma.netwerk, programma.jaar, programma.helft) == (twente, ronde.jaar, 1)
    assert programma.thema_lijst == [t.titel for t, _row in proposal.meetings]
    meetings = list(programma.bijeenkomsten.order_by("begin"))
    assert [m.titel for m in meetings] == [t.titel for t, _row in proposal.meetings]
    assert [m.thema for m in meetings] == [m.titel for m in meetings]
    for meeting, day in zip(meetings, good, strict=True):
        assert meeting.begin == datetime.combine(day, time(19, 30), AMSTERDAM)
        assert meeting.einde == datetime.combine(day, time(21, 30), AMSTERDAM)
        assert list(meeting.netwerken.all()) == [twente]
        assert meeting.soort == Bijeenkomst.Soort.THEMA
    # Drafts are not public: nothing shows until the coordinator publishes, as today.
    assert not Bijeenkomst.objects.filter(pk__in=[m.pk for m in meetings]).published().exists()
    peiling.refresh_from_db()
    assert peiling.geaccepteerd_op is not None
    with pytest.raises(ValidationError, match="al een plan geaccepteerd"):
        dates.date_plan_accept(peiling=peiling, toewijzing=toewijzing)
    assert programma.bijeenkomsten.count() == 3


def test_an_adjusted_plan_keeps_an_existing_draft_and_its_themes(twente):
    existing = Halfjaarprogramma.objects.create(
        netwerk=twente, jaar=next_year(), helft=1, themas="Eigen thema"
    )
    ronde = closed_round(twente)
    peiling = open_poll(ronde)
    days = weekly(20)
    themes = dates.chosen_themes(ronde)
    # Adjusted: the themes in another order, on evenings 5 and 7 weeks apart.
    chosen = [days[2], days[7], days[14]]
    toewijzing = {
        t.pk: evening(peiling, d).pk for t, d in zip(themes, reversed(chosen), strict=True)
    }
    programma = dates.date_plan_accept(peiling=peiling, toewijzing=toewijzing)
    assert programma.pk == existing.pk and programma.themas == "Eigen thema"
    by_title = {m.titel: timezone.localdate(m.begin) for m in programma.bijeenkomsten.all()}
    assert by_title == {
        themes[0].titel: days[14],
        themes[1].titel: days[7],
        themes[2].titel: days[2],
    }


@pytest.mark.parametrize(
    ("picks", "message"),
    [
        ((0, 1, 8), "5 tot 7 weken"),  # a week apart
        ((0, 8, 16), "5 tot 7 weken"),  # eight weeks apart
        ((0, 6, 6), "eigen avond"),
    ],
)
def test_an_adjusted_plan_that_breaks_the_spacing_is_refused(twente, picks, message):
    ronde = closed_round(twente)
    peiling = open_poll(ronde)
    days = weekly(20)
    themes = dates.chosen_themes(ronde)
    toewijzing = {t.pk: evening(peiling, days[i]).pk for t, i in zip(themes, picks, strict=True)}
    with pytest.raises(ValidationError, match=message):
        dates.date_plan_accept(peiling=peiling, toewijzing=toewijzing)
    assert not Halfjaarprogramma.objects.exists() and not Bijeenkomst.objects.exists()
    with pytest.raises(ValidationError, match="elk gekozen thema"):
        dates.date_plan_accept(peiling=peiling, toewijzing=dict(list(toewijzing.items())[:2]))


def test_a_poll_without_spaced_evenings_gives_a_clear_message(twente):
    peiling = open_poll(closed_round(twente), weekly(4))
    with pytest.raises(ValidationError, match="5 tot 7 weken uit elkaar"):
        dates.date_plan_propose(peiling=peiling)


def test_a_published_programme_is_not_changed_behind_the_members_backs(twente):
    Halfjaarprogramma.objects.create(netwerk=twente, jaar=next_year(), helft=1, gepubliceerd=True)
    ronde = closed_round(twente)
    peiling = open_poll(ronde)
    days = weekly(20)
    themes = dates.chosen_themes(ronde)
    toewijzing = {
        t.pk: evening(peiling, days[i]).pk for t, i in zip(themes, (0, 6, 12), strict=True)
    }
    with pytest.raises(ValidationError, match="al gepubliceerd"):
        dates.date_plan_accept(peiling=peiling, toewijzing=toewijzing)
    assert not Bijeenkomst.objects.exists()


def test_answers_after_the_close_or_the_acceptance_are_refused(twente, kern_twente):
    ronde = closed_round(twente)
    peiling = open_poll(ronde)
    avond = peiling.avonden.first()
    dates.availability_save(peiling=peiling, lid=kern_twente.lid, antwoorden={avond.pk: "yes"})
    later = peiling.sluit_op + timedelta(minutes=1)
    with pytest.raises(ValidationError, match="gesloten"):
        dates.availability_save(
            peiling=peiling, lid=kern_twente.lid, antwoorden={avond.pk: "no"}, now=later
        )
    Datumpeiling.objects.filter(pk=peiling.pk).update(geaccepteerd_op=timezone.now())
    with pytest.raises(ValidationError, match="gesloten"):
        dates.availability_save(peiling=peiling, lid=kern_twente.lid, antwoorden={avond.pk: "no"})
    assert Beschikbaarheid.objects.get().antwoord == "yes"


def test_a_member_changes_and_withdraws_answers_but_only_for_this_poll(twente, kern_twente):
    peiling = open_poll(closed_round(twente))
    first, second = peiling.avonden.order_by("datum")[:2]
    lid = kern_twente.lid
    dates.availability_save(peiling=peiling, lid=lid, antwoorden={first.pk: "yes", second.pk: "no"})
    dates.availability_save(peiling=peiling, lid=lid, antwoorden={first.pk: "if_need_be"})
    dates.availability_save(peiling=peiling, lid=lid, antwoorden={second.pk: ""})
    assert dict(Beschikbaarheid.objects.values_list("avond_id", "antwoord")) == {
        first.pk: "if_need_be"
    }
    with pytest.raises(ValidationError):
        dates.availability_save(peiling=peiling, lid=lid, antwoorden={first.pk: "maybe"})
    with pytest.raises(ValidationError):
        dates.availability_save(peiling=peiling, lid=lid, antwoorden={first.pk + 10_000: "yes"})


def test_a_member_outside_the_network_cannot_answer(client, twente, lid_rotterdam):
    ronde = closed_round(twente)
    peiling = open_poll(ronde)
    avond = peiling.avonden.first()
    with pytest.raises(ValidationError, match="Alleen actieve leden"):
        dates.availability_save(
            peiling=peiling, lid=lid_rotterdam.lid, antwoorden={avond.pk: "yes"}
        )
    client.force_login(lid_rotterdam)
    response = client.post(
        _round_url(ronde), {"actie": "beschikbaarheid", f"avond-{avond.pk}": "yes"}
    )
    assert response.status_code == 404
    assert not Beschikbaarheid.objects.exists()


def _sent(kind: str) -> list[str]:
    return sorted(Verzending.objects.filter(soort=kind).values_list("ontvanger", flat=True))


def test_the_reminder_goes_once_and_only_to_who_has_not_answered(
    twente, kern_twente, betrokken_twente, coordinator_twente, lid_rotterdam
):
    ronde = closed_round(twente)
    # Closes at 18:00 Dutch time (17:00 UTC in winter); the mail says 18:00.
    closes = datetime.combine(date(next_year(), 1, 5), time(18, 0), AMSTERDAM)
    peiling = dates.date_poll_open(
        ronde=ronde,
        sluit_op=closes,
        avonden=[(d, time(19, 30), time(21, 30)) for d in weekly(20)],
        now=closes - timedelta(days=10),
    )
    avond = peiling.avonden.first()
    dates.availability_save(
        peiling=peiling, lid=kern_twente.lid, antwoorden={avond.pk: "no"}, now=peiling.geopend_op
    )
    assert tasks.run_date_polls(now=closes - timedelta(days=3)) == 0  # not yet
    Verzending.objects.all().delete()  # the round's own mails
    soon = closes - timedelta(days=1)
    assert tasks.run_date_polls(now=soon) == 1
    assert tasks.run_date_polls(now=soon + timedelta(hours=1)) == 0
    answered_not = set(
        twente.lidmaatschappen.filter(status="actief")
        .exclude(lid=kern_twente.lid)
        .values_list("lid__user__email", flat=True)
    )
    assert _sent("datumpeiling_herinnering") == sorted(answered_not)
    assert coordinator_twente.email in answered_not and betrokken_twente.email in answered_not
    mail = Verzending.objects.filter(soort="datumpeiling_herinnering").first()
    assert "18:00" in mail.tekst and "17:00" not in mail.tekst
    assert "#datumpeiling" in mail.tekst
    assert tasks.run_date_polls(now=closes + timedelta(hours=1)) == 0


def _round_url(ronde) -> str:
    return reverse(
        "themas:ronde",
        kwargs={"slug": ronde.netwerk.slug, "jaar": ronde.jaar, "helft": ronde.helft},
    )


def _planning_url(ronde) -> str:
    return reverse(
        "themas:datumplanning",
        kwargs={"slug": ronde.netwerk.slug, "jaar": ronde.jaar, "helft": ronde.helft},
    )


def test_a_member_answers_on_the_round_page(client, twente, kern_twente):
    ronde = closed_round(twente)
    peiling = open_poll(ronde)
    first, second = peiling.avonden.order_by("datum")[:2]
    client.force_login(kern_twente)
    page = client.get(_round_url(ronde)).content.decode()
    assert 'type="radio"' in page and "19:30–21:30" in page
    assert f'id="avond-{first.pk}-if_need_be"' in page
    response = client.post(
        _round_url(ronde),
        {"actie": "beschikbaarheid", f"avond-{first.pk}": "yes", f"avond-{second.pk}": "no"},
        follow=True,
    )
    assert "Je antwoorden zijn opgeslagen" in response.content.decode()
    assert dict(Beschikbaarheid.objects.values_list("avond_id", "antwoord")) == {
        first.pk: "yes",
        second.pk: "no",
    }
    assert 'value="yes" checked' in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("lid_rotterdam", 404),
        ("betrokken_twente", 404),
        ("kern_twente", 404),
        ("coordinator_twente", 200),
        ("staff", 200),
    ],
)
def test_the_planning_page_is_for_coordinators_and_staff(client, cast, twente, role, status):
    ronde = closed_round(twente)
    client.force_login(cast[role])
    assert client.get(_planning_url(ronde)).status_code == status


def test_a_coordinator_opens_the_poll_and_accepts_the_plan_through_the_page(
    client, twente, coordinator_twente, kern_twente
):
    ronde = closed_round(twente)
    client.force_login(coordinator_twente)
    days = weekly(20)
    closes = timezone.localtime(timezone.now() + timedelta(days=5), AMSTERDAM)
    response = client.post(
        _planning_url(ronde),
        {
            "actie": "openen",
            "sluit_op": closes.strftime("%Y-%m-%dT%H:%M"),
            "begintijd": "19:30",
            "eindtijd": "21:30",
            "datums": "\n".join(d.isoformat() for d in days),
        },
    )
    assert response.status_code == 302
    peiling = Datumpeiling.objects.get(ronde=ronde)
    assert peiling.avonden.count() == 20
    good = [days[i] for i in (1, 7, 13)]
    answer(peiling, kern_twente.lid, **{_key(d): "yes" for d in good})
    page = client.get(_planning_url(ronde)).content.decode()
    assert "Voorgesteld plan" in page and "Kern Twente" in page
    themes = dates.chosen_themes(ronde)
    posted = {f"thema-{t.pk}": evening(peiling, d).pk for t, d in zip(themes, good, strict=True)}
    response = client.post(_planning_url(ronde), {"actie": "accepteren", **posted}, follow=True)
    assert "programmaconcept" in response.content.decode()
    programma = Halfjaarprogramma.objects.get(netwerk=twente)
    assert sorted(timezone.localdate(m.begin) for m in programma.bijeenkomsten.all()) == good


def test_a_spacing_violation_on_the_page_is_explained(client, twente, coordinator_twente):
    ronde = closed_round(twente)
    peiling = open_poll(ronde)
    days = weekly(20)
    themes = dates.chosen_themes(ronde)
    posted = {
        f"thema-{t.pk}": evening(peiling, days[i]).pk
        for t, i in zip(themes, (0, 1, 2), strict=True)
    }
    client.force_login(coordinator_twente)
    response = client.post(_planning_url(ronde), {"actie": "accepteren", **posted}, follow=True)
    assert "5 tot 7 weken" in response.content.decode()
    assert not Bijeenkomst.objects.exists()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_poll_pages_take_the_same_queries_for_10_and_30_evenings(
    client, twente, kern_twente, coordinator_twente
):
    counts = []
    for helft, evenings, members, step in ((1, 10, 5, 10), (2, 30, 14, 5)):
        first = date(next_year(), 1 if helft == 1 else 7, 2)
        ronde = closed_round(twente, helft=helft)
        peiling = open_poll(ronde, weekly(evenings, first=first, step=step))
        leden = [kern_twente.lid, *voters(twente, members - 1)]
        for i, lid in enumerate(leden):
            answers = {
                a.pk: ("yes", "if_need_be", "no")[(i + j) % 3]
                for j, a in enumerate(peiling.avonden.all())
            }
            dates.availability_save(peiling=peiling, lid=lid, antwoorden=answers)
        client.force_login(kern_twente)
        member_page = _queries(client, _round_url(ronde))
        client.force_login(coordinator_twente)
        coordinator_page = _queries(client, _planning_url(ronde))
        assert dates.date_plan_propose(peiling=peiling).meetings  # a plan, not an error
        counts.append((member_page, coordinator_page))
    assert counts[0] == counts[1], counts
    print("date poll page queries (member, coordinator)", counts)
