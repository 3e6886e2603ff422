import io
import re
from datetime import date, datetime, time, timedelta

import pypdf
import pytest
from dateutil.easter import easter
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from actieplannen.models import Uitdaging
from bijeenkomsten.models import Aanmelding, Bijeenkomst
from demo.data import load_demo, load_scale
from leden.models import Lid, Lidmaatschap
from netwerken.models import Netwerk

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"leden", "netwerken", "bijeenkomsten", "account", "actieplannen"}
    }


def test_seed_demo_twice_gives_the_same_row_counts(settings):
    call_command("seed_demo")
    first = row_counts()
    call_command("seed_demo")
    assert row_counts() == first
    assert first["netwerken.Netwerk"] == 10
    # The generated slides are stored once, not once per run.
    assert len(list((settings.PRIVATE_MEDIA_ROOT / "materiaal" / "pdf").iterdir())) == 3


def test_seed_demo_loads_the_facts_of_the_source_texts():
    call_command("seed_demo")
    twente = Netwerk.objects.get(slug="twente")
    assert twente.contact_email == "regionetwerktwente@bpsw.nl"
    assert (twente.kern_min, twente.kern_max) == (10, 14)
    assert Netwerk.objects.filter(koepel__land="BE").count() == 6
    brabant = Netwerk.objects.get(slug="vlaams-brabant")
    assert set(brabant.subregios.values_list("naam", flat=True)) == {
        "Hageland",
        "Leuven",
        "Halle en Pajottenland",
        "Vilvoorde",
    }
    assert list(
        Uitdaging.objects.filter(plan__netwerk__slug="limburg").values_list("titel", flat=True)
    ) == ["Diversiteit", "Een duidelijke plaats op de eerste lijn", "Onderbescherming"]
    conferentie = Bijeenkomst.objects.get(slug="hoezo-sociaal-werk-2017")
    assert conferentie.begin.date() == date(2017, 11, 9)
    assert {o.soort for o in conferentie.onderdelen.all()} >= {"lezing", "tafelronde", "poster"}
    assert (
        Bijeenkomst.objects.get(slug="rotterdam-2016-05-26-werken-in-wijkteams")
        .onderdelen.filter(soort="workshop")
        .count()
        == 3
    )
    assert Bijeenkomst.objects.filter(begin__date=date(2019, 1, 17), netwerken=twente).exists()
    assert Bijeenkomst.objects.filter(begin__date=date(2021, 3, 16), soort="wswd").exists()


def test_seed_demo_plans_meetings_ahead_so_the_agenda_is_never_empty():
    from django.utils import timezone

    call_command("seed_demo")
    for netwerk in Netwerk.objects.all():
        assert netwerk.bijeenkomsten.filter(begin__gt=timezone.now()).count() >= 3, netwerk


def test_scale_adds_members_meetings_and_registrations_once():
    call_command("seed_demo")
    before_members = Lid.objects.count()
    load_scale(400, log=lambda _: None)
    models = (Lid, Lidmaatschap, Bijeenkomst, Aanmelding)
    counts = [model.objects.count() for model in models]
    assert counts[0] == before_members + 400
    assert Bijeenkomst.objects.filter(slug__startswith="schaal-").count() == 40
    assert Aanmelding.objects.filter(bijeenkomst__slug__startswith="schaal-").count() == 1600
    # A network added in between (the mail benchmark adds one) changes nothing on a rerun.
    Netwerk.objects.create(
        slug="bench-twente", naam="Bench Twente", koepel=Netwerk.objects.first().koepel
    )
    load_scale(400, log=lambda _: None)
    assert [model.objects.count() for model in models] == counts


# --- The agenda looks like the networks (issue 13, point 10) ---------------------------------
# The demo plans around "today": these checks run for a day late in a half-year, and for
# New Year's Day, a day in spring and the last day of June.
TODAY = date(2026, 12, 7)
OTHER_DAYS = [date(2027, 1, 1), date(2027, 4, 15), date(2027, 6, 30)]


def meetings_loaded_on(today: date) -> list[Bijeenkomst]:
    load_demo(today=today)
    return list(
        Bijeenkomst.objects.exclude(slug__startswith="schaal-")
        .select_related("programma__netwerk")
        .prefetch_related("netwerken")
    )


def assert_titles_vary(meetings: list[Bijeenkomst]) -> None:
    clashes = [
        (a.slug, b.slug)
        for a in meetings
        for b in meetings
        if a.pk < b.pk
        and a.titel == b.titel
        and abs((a.begin.date() - b.begin.date()).days) <= 1
        and set(a.netwerken.all()) != set(b.netwerken.all())
    ]
    assert clashes == []
    for programma in {b.programma for b in meetings} - {None}:  # nor within a programme
        titles = [b.titel for b in meetings if b.programma == programma]
        assert len(titles) == len(set(titles)), programma


def assert_working_days_at_sensible_hours(meetings: list[Bijeenkomst], today: date) -> None:
    for b in meetings:
        begin, einde = timezone.localtime(b.begin), timezone.localtime(b.einde)
        day = begin.date()
        assert day.weekday() < 5, (b.slug, day)  # no Saturday, no Sunday
        holidays = {date(day.year, 1, 1), date(day.year, 12, 25), date(day.year, 12, 26)}
        holidays |= {easter(day.year) + timedelta(days=1)}  # Easter Monday
        assert day not in holidays, (b.slug, day)
        assert time(9, 0) <= begin.time() and einde.time() <= time(21, 30), b.slug
        planned = b.programma and b.programma.jaar >= today.year - 1  # not from the sources
        if planned and begin.time() >= time(18, 0) and b.soort != "sociaal_cafe":
            weekday = b.programma.netwerk.vaste_weekdag  # evenings on the network's day
            assert weekday is None or day.weekday() == weekday, (b.slug, day)


def assert_in_programme_half_year(meetings: list[Bijeenkomst]) -> None:
    in_programme = [b for b in meetings if b.programma]
    assert len(in_programme) >= 90  # three half-years of ten networks
    for b in in_programme:
        day = timezone.localtime(b.begin).date()
        assert (day.year, 1 if day.month <= 6 else 2) == (
            b.programma.jaar,
            b.programma.helft,
        ), b.slug
        assert b.programma.netwerk in b.netwerken.all(), b.slug
        assert b.thema in b.programma.thema_lijst, b.slug


def assert_past_and_upcoming(meetings: list[Bijeenkomst], today: date) -> None:
    moment = datetime.combine(today, time(12, 0), tzinfo=timezone.get_current_timezone())
    for netwerk in Netwerk.objects.all():
        own = [b for b in meetings if netwerk in b.netwerken.all()]
        assert len([b for b in own if b.begin > moment]) >= 3, netwerk
        assert [b for b in own if b.begin < moment], netwerk


def test_no_two_networks_share_a_title_on_consecutive_days():
    assert_titles_vary(meetings_loaded_on(TODAY))


def test_meetings_fall_on_working_days_at_sensible_hours():
    assert_working_days_at_sensible_hours(meetings_loaded_on(TODAY), TODAY)


def test_every_meeting_lies_in_its_programmes_half_year():
    assert_in_programme_half_year(meetings_loaded_on(TODAY))


def test_the_agenda_has_past_and_upcoming_meetings_of_every_network():
    assert_past_and_upcoming(meetings_loaded_on(TODAY), TODAY)


@pytest.mark.parametrize("today", OTHER_DAYS)
def test_the_agenda_rules_hold_whatever_day_the_demo_loads(today):
    meetings = meetings_loaded_on(today)
    assert_titles_vary(meetings)
    assert_working_days_at_sensible_hours(meetings, today)
    assert_in_programme_half_year(meetings)
    assert_past_and_upcoming(meetings, today)


def test_every_meeting_on_site_has_a_street_address_and_online_ones_say_online():
    for b in meetings_loaded_on(TODAY):
        if b.is_online:
            assert b.adres == "" and b.online_link.startswith("https://"), b.slug
        else:
            # A venue with its town, and a street with a number and a postcode.
            assert "," in b.locatie or b.locatie.startswith("Sociaal Huis"), b.slug
            assert re.search(r"^\D+ \d+\w*, (\d{4} [A-Z]{2}|\d{4}) ", b.adres), (b.slug, b.adres)


def test_twente_meets_every_six_weeks_and_holds_a_spring_sociaal_cafe_with_politicians():
    load_demo(today=date(2027, 2, 1))
    twente = Netwerk.objects.get(slug="twente")
    series = list(
        Bijeenkomst.objects.filter(programma__netwerk=twente, programma__jaar=2027)
        .filter(programma__helft=1)
        .exclude(soort="sociaal_cafe")
        .order_by("begin")
    )
    gaps = {
        (b.begin.date() - a.begin.date()).days for a, b in zip(series, series[1:], strict=False)
    }
    assert gaps <= {42, 49}, gaps  # six weeks, a week more past a holiday
    assert {b.begin.weekday() for b in series} == {twente.vaste_weekdag}
    cafe = Bijeenkomst.objects.get(slug="twente-2027-1-sociaal-cafe")
    assert 3 <= cafe.begin.month <= 5
    assert cafe.onderdelen.filter(sprekers__icontains="raadsleden").exists()
    rotterdam = Bijeenkomst.objects.filter(netwerken__slug="rotterdam", programma__isnull=False)
    assert rotterdam.filter(thema__icontains="ethiek en privacy").count() >= 4
    assert Bijeenkomst.objects.filter(soort="wswd", programma__jaar=2027, begin__month=3).exists()


def test_a_rerun_later_in_the_half_year_moves_no_meeting_and_adds_nothing():
    def agenda() -> dict[str, object]:
        return dict(Bijeenkomst.objects.values_list("slug", "begin"))

    load_demo(today=date(2027, 2, 1))
    first, planned = row_counts(), agenda()
    load_demo(today=date(2027, 5, 20))
    assert row_counts() == first
    assert agenda() == planned  # a programme's dates do not drift with the day of loading


# --- The archive keeps what the sources promise (issue 13, point 11) -------------------------


def test_hoezo_sociaal_werk_has_its_slides_video_round_tables_and_posters():
    call_command("seed_demo")
    conferentie = Bijeenkomst.objects.get(slug="hoezo-sociaal-werk-2017")
    slides = list(conferentie.materialen.filter(soort="slides"))
    assert len(slides) == 3
    for materiaal, speaker in zip(
        slides, ["Eelke Blokker", "Jack de Swart", "Somaya Ben Allouch"], strict=True
    ):
        materiaal.full_clean()  # passes the upload checks
        with materiaal.pdf.open("rb") as file:
            reader = pypdf.PdfReader(io.BytesIO(file.read()), strict=True)
        assert len(reader.pages) >= 2
        assert speaker in reader.pages[0].extract_text()
    video = conferentie.materialen.get(soort="video")
    assert video.url.startswith("https://")
    parts = conferentie.onderdelen.all()
    assert len([p for p in parts if p.soort == "tafelronde"]) >= 4
    assert len([p for p in parts if p.soort == "poster"]) >= 2
    assert all(p.beschrijving for p in parts if p.soort in ("tafelronde", "poster"))


def test_the_oost_vlaanderen_safari_has_its_three_practices_and_a_recording():
    call_command("seed_demo")
    safari = Bijeenkomst.objects.get(
        netwerken__slug="oost-vlaanderen", onderdelen__titel="Babbelonië 2.0"
    )
    assert [p.titel for p in safari.onderdelen.all()] == [
        "Babbelonië 2.0",
        "De Meubelfabriek in de Brugse Poort",
        "Jeugdhulppraktijk de Cocon",
    ]
    assert safari.onderdelen.get(titel="Babbelonië 2.0").sprekers == "Vormingplus"
    assert safari.materialen.get(soort="video").url.startswith("https://")
    assert safari.is_online and safari.begin.date() < date(2020, 11, 19)
