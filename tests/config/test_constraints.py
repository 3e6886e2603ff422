"""Each rule lives in the database: these inserts bypass forms and services on purpose."""

from datetime import date, time, timedelta

import pytest
from django.db import IntegrityError, transaction

from bijeenkomsten.models import Aanmelding, Bijeenkomst, Materiaal
from leden.models import Lidmaatschap, User
from netwerken.models import Netwerk
from tests import factories

pytestmark = pytest.mark.django_db


def refused(callable_, *args, **kwargs) -> bool:
    try:
        with transaction.atomic():
            callable_(*args, **kwargs)
    except IntegrityError:
        return True
    return False


def test_second_live_registration_for_same_member_is_refused():
    first = factories.AanmeldingFactory()
    assert refused(
        Aanmelding.objects.create, bijeenkomst=first.bijeenkomst, lid=first.lid, status="wachtlijst"
    )


def test_registration_after_cancelling_is_allowed():
    first = factories.AanmeldingFactory(status="geannuleerd")
    again = Aanmelding.objects.create(bijeenkomst=first.bijeenkomst, lid=first.lid)
    assert again.pk != first.pk


def test_second_live_guest_registration_is_refused_whatever_the_case_of_the_address():
    bijeenkomst = factories.BijeenkomstFactory()
    Aanmelding.objects.create(bijeenkomst=bijeenkomst, gast_naam="A", gast_email="gast@example.org")
    assert refused(
        Aanmelding.objects.create,
        bijeenkomst=bijeenkomst,
        gast_naam="A",
        gast_email="Gast@Example.org",
    )


def test_registration_must_be_a_member_or_a_guest_not_both_nor_neither():
    bijeenkomst = factories.BijeenkomstFactory()
    lid = factories.LidFactory()
    assert refused(Aanmelding.objects.create, bijeenkomst=bijeenkomst)
    assert refused(
        Aanmelding.objects.create, bijeenkomst=bijeenkomst, lid=lid, gast_email="x@example.org"
    )


def test_unknown_registration_status_is_refused():
    assert refused(factories.AanmeldingFactory, status="misschien")


def test_meeting_ending_before_it_starts_is_refused():
    start = factories.BijeenkomstFactory.build().begin
    assert refused(
        Bijeenkomst.objects.create,
        titel="x",
        slug="x",
        begin=start,
        einde=start - timedelta(hours=1),
    )
    assert refused(Bijeenkomst.objects.create, titel="y", slug="y", begin=start, einde=start)


def test_meeting_capacity_must_be_positive_and_deadline_before_start():
    assert refused(factories.BijeenkomstFactory, capaciteit=0)
    meeting = factories.BijeenkomstFactory.build()
    assert refused(factories.BijeenkomstFactory, aanmelden_tot=meeting.begin + timedelta(minutes=1))


def test_two_memberships_of_one_network_are_refused():
    first = factories.LidmaatschapFactory()
    assert refused(
        Lidmaatschap.objects.create, lid=first.lid, netwerk=first.netwerk, schil="betrokken"
    )


def test_membership_ending_before_it_began_is_refused():
    assert refused(
        factories.LidmaatschapFactory, lid_sinds=date(2024, 5, 1), beeindigd_op=date(2024, 4, 1)
    )


def test_unknown_tier_is_refused():
    assert refused(factories.LidmaatschapFactory, schil="derde")


def test_one_programme_per_network_and_half_year():
    first = factories.HalfjaarprogrammaFactory()
    assert refused(
        factories.HalfjaarprogrammaFactory,
        netwerk=first.netwerk,
        jaar=first.jaar,
        helft=first.helft,
    )


def test_half_must_be_one_or_two():
    assert refused(factories.HalfjaarprogrammaFactory, helft=3)


def test_core_target_minimum_not_above_maximum():
    assert refused(factories.NetwerkFactory, kern_min=15, kern_max=14)


def test_material_without_file_link_or_text_is_refused():
    bijeenkomst = factories.BijeenkomstFactory()
    assert refused(Materiaal.objects.create, bijeenkomst=bijeenkomst, soort="video", titel="Leeg")
    Materiaal.objects.create(
        bijeenkomst=bijeenkomst, soort="video", titel="Opname", url="https://example.org/v"
    )


def test_programme_part_ending_before_it_starts_is_refused():
    assert refused(factories.ProgrammaonderdeelFactory, begintijd=time(14, 0), eindtijd=time(13, 0))


def test_email_addresses_are_unique_regardless_of_case():
    User.objects.create_user("iemand@example.org")
    # Bypass the manager, which lower-cases: the database itself must refuse.
    assert refused(User.objects.create, email="Iemand@Example.org")


def test_network_slug_is_unique():
    factories.NetwerkFactory(slug="twente")
    assert refused(
        Netwerk.objects.create, slug="twente", naam="Ander", koepel=factories.KoepelFactory()
    )
