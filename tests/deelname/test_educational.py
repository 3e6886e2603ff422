"""How much of a meeting counts: set minutes, programme parts (breaks never), kind defaults."""

from datetime import datetime, time, timedelta

from deelname.educational import Part, hours, meeting_time
from deelname.models import Categorie, Leertijd

BEGIN = datetime(2027, 3, 4, 9, 0)


def _time(soort, length_minutes, *, leertijd=None, parts=()):
    return meeting_time(
        soort=soort,
        begin=BEGIN,
        einde=BEGIN + timedelta(minutes=length_minutes),
        leertijd=leertijd,
        parts=parts,
    )


def test_a_themed_evening_counts_two_hours_of_other_development_by_default():
    t = _time("thema", 180)
    assert t.minuten == {Categorie.OVERIG: 120} and t.certificate_offered


def test_a_default_never_exceeds_the_meeting():
    assert _time("thema", 90).minuten == {Categorie.OVERIG: 90}


def test_a_conference_day_without_parts_counts_its_day_less_the_breaks():
    # 09:00–17:00: 480 minutes, four quarter-hour breaks and a lunch of 45 minutes.
    assert _time("conferentie", 480).minuten == {Categorie.OVERIG: 480 - 60 - 45}


def test_a_conference_day_counts_its_parts_and_never_its_breaks():
    parts = [
        Part("lezing", time(9, 30), time(10, 30)),
        Part("overig", time(10, 30), time(11, 0)),  # coffee
        Part("workshop", time(11, 0), time(12, 30)),
        Part("workshop", time(11, 0), time(12, 30)),  # parallel: counted once
        Part("overig", time(12, 30), time(13, 30)),  # lunch
        Part("casus", time(13, 30), time(15, 0)),
    ]
    t = _time("conferentie", 480, parts=parts)
    assert t.minuten == {Categorie.OVERIG: 150, Categorie.REFLECTIE: 90}


def test_minutes_set_by_the_coordinators_win_and_keep_the_accreditation():
    leertijd = Leertijd(minuten=75, categorie=Categorie.GEACCREDITEERD, accreditatie_id="PE-123")
    parts = [Part("lezing", time(9, 0), time(12, 0))]
    t = _time("thema", 180, leertijd=leertijd, parts=parts)
    assert t.minuten == {Categorie.GEACCREDITEERD: 75} and t.accreditatie_id == "PE-123"


def test_a_steering_group_offers_no_certificate():
    assert not _time("stuurgroep", 120).certificate_offered


def test_hours_read_in_dutch_notation():
    assert hours(90) == "1,50"
