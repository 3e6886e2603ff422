"""Coordinators decline with a message; members ask to move between core and second tier."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from leden import services
from leden.models import Lidmaatschap
from tests import factories, mailfixtures
from tests.accountfixtures import give_totp

pytestmark = pytest.mark.django_db

eager_celery = mailfixtures.eager_celery  # tasks run in-process, mail lands in the outbox

CHANGELIST = reverse("admin:leden_lidmaatschap_changelist")


@pytest.fixture
def coordinator_client(client, coordinator_twente):
    give_totp(coordinator_twente)
    client.force_login(coordinator_twente)
    return client


@pytest.fixture
def aanvraag(twente):
    aanvrager = factories.LidFactory(naam="Anna Aanvrager", user__email="anna@example.org")
    return services.membership_request(
        lid=aanvrager, netwerk_id=twente.pk, schil="kern", motivatie="Ik werk in Hengelo."
    )


def test_decline_asks_for_a_message_then_mails_it(
    coordinator_client, aanvraag, eager_celery, django_capture_on_commit_callbacks
):
    chosen = {"action": "decline", "_selected_action": [aanvraag.pk]}
    page = coordinator_client.post(CHANGELIST, chosen)
    assert page.status_code == 200  # the message page, nothing decided yet
    content = page.content.decode()
    assert "Anna Aanvrager" in content and "Bericht aan de aanvrager" in content
    aanvraag.refresh_from_db()
    assert aanvraag.status == "aangevraagd" and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            CHANGELIST,
            {**chosen, "bevestigd": "1", "bericht": "De kern is vol; kom gerust in de 2e schil."},
        )
    assert response.status_code == 302
    aanvraag.refresh_from_db()
    assert aanvraag.status == Lidmaatschap.Status.AFGEWEZEN == "afgewezen"
    (message,) = mail.outbox
    assert message.to == ["anna@example.org"]
    assert "De kern is vol; kom gerust in de 2e schil." in message.body
    assert "niet geaccepteerd" in message.body


def test_declined_applicant_can_ask_again(aanvraag, twente):
    services.membership_decline(lidmaatschap_id=aanvraag.pk, message="")
    again = services.membership_request(
        lid=aanvraag.lid, netwerk_id=twente.pk, schil="betrokken", motivatie="Nu 2e schil?"
    )
    assert (again.pk, again.status, again.schil) == (aanvraag.pk, "aangevraagd", "betrokken")


def test_declined_request_cannot_be_left_or_accepted_twice(aanvraag, twente):
    services.membership_decline(lidmaatschap_id=aanvraag.pk, message="")
    assert not services.membership_leave(lid=aanvraag.lid, netwerk_id=twente.pk)
    assert not services.membership_decline(lidmaatschap_id=aanvraag.pk, message="")
    aanvraag.refresh_from_db()
    assert aanvraag.status == "afgewezen"


def _ask_to_move(client, user, schil: str):
    client.force_login(user)
    return client.post(reverse("leden:schil_wisselen", args=["twente"]), {"schil": schil})


def test_member_asks_to_join_the_core_and_coordinator_grants_it(
    client, betrokken_twente, coordinator_twente, eager_celery, django_capture_on_commit_callbacks
):
    assert "Vraag om bij de kern te komen" in _profile(client, betrokken_twente)
    _ask_to_move(client, betrokken_twente, "kern")
    membership = Lidmaatschap.objects.get(lid__user=betrokken_twente)
    assert (membership.schil, membership.gevraagde_schil) == ("betrokken", "kern")
    assert "Overstap naar de kern (1e schil) gevraagd" in _profile(client, betrokken_twente)

    give_totp(coordinator_twente)
    client.force_login(coordinator_twente)
    listed = client.get(CHANGELIST, {"schilwissel": "ja"}).context["cl"].result_list
    assert [m.pk for m in listed] == [membership.pk]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CHANGELIST, {"action": "accept_tier_move", "_selected_action": [membership.pk]})
    membership.refresh_from_db()
    assert (membership.schil, membership.gevraagde_schil) == ("kern", "")
    (message,) = mail.outbox
    assert message.to == [betrokken_twente.email]
    assert "kern (1e schil)" in message.body and "toegekend" in message.body
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_coordinator_refuses_a_tier_move_with_a_message(
    client, kern_twente, coordinator_client, eager_celery, django_capture_on_commit_callbacks
):
    services.membership_tier_request(
        lid=kern_twente.lid,
        netwerk_id=Lidmaatschap.objects.get(lid__user=kern_twente).netwerk_id,
        schil="betrokken",
    )
    membership = Lidmaatschap.objects.get(lid__user=kern_twente)
    chosen = {"action": "decline_tier_move", "_selected_action": [membership.pk]}
    assert coordinator_client.post(CHANGELIST, chosen).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            CHANGELIST, {**chosen, "bevestigd": "1", "bericht": "We hebben je hard nodig!"}
        )
    membership.refresh_from_db()
    assert (membership.schil, membership.gevraagde_schil) == ("kern", "")
    (message,) = mail.outbox
    assert "niet toegekend" in message.body and "We hebben je hard nodig!" in message.body


def test_tier_move_requests_are_not_shown_to_other_networks_coordinators(
    client, betrokken_twente, rotterdam
):
    _ask_to_move(client, betrokken_twente, "kern")
    other = factories.UserFactory(is_staff=True)
    rotterdam.coordinators.add(other)
    give_totp(other)
    client.force_login(other)
    listed = client.get(CHANGELIST, {"schilwissel": "ja"}).context["cl"].result_list
    assert list(listed) == []


def test_second_decision_on_a_tier_move_does_nothing(betrokken_twente, twente):
    services.membership_tier_request(lid=betrokken_twente.lid, netwerk_id=twente.pk, schil="kern")
    membership = Lidmaatschap.objects.get(lid__user=betrokken_twente)
    assert services.membership_tier_accept(lidmaatschap_id=membership.pk)
    assert not services.membership_tier_decline(lidmaatschap_id=membership.pk)
    assert not services.membership_tier_accept(lidmaatschap_id=membership.pk)


def test_only_active_members_can_ask_to_move(client, twente):
    pending = services.membership_request(
        lid=factories.LidFactory(), netwerk_id=twente.pk, schil="betrokken", motivatie="graag"
    )
    assert not services.membership_tier_request(lid=pending.lid, netwerk_id=twente.pk, schil="kern")


def _profile(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("leden:profiel")).content.decode()


def test_migration_marks_only_old_declines_as_declined(twente):
    """Before 'afgewezen' existed a decline was 'ended' without start or end date."""
    from datetime import date
    from importlib import import_module

    from django.apps import apps

    migration = import_module("leden.migrations.0006_afgewezen_en_schilwissel")
    old_decline = factories.LidmaatschapFactory(netwerk=twente, status="beeindigd", lid_sinds=None)
    withdrawn = factories.LidmaatschapFactory(
        netwerk=twente, status="beeindigd", lid_sinds=None, beeindigd_op=date(2026, 3, 1)
    )
    left = factories.LidmaatschapFactory(
        netwerk=twente, status="beeindigd", lid_sinds=date(2025, 1, 1), beeindigd_op=None
    )
    migration.mark_old_declines(apps, None)
    statuses = dict(Lidmaatschap.objects.values_list("pk", "status"))
    assert statuses[old_decline.pk] == "afgewezen"
    assert statuses[withdrawn.pk] == statuses[left.pk] == "beeindigd"


def test_a_tier_move_decision_is_mailed_once_per_request(
    betrokken_twente, twente, eager_celery, django_capture_on_commit_callbacks
):
    from berichten import delivery
    from berichten.models import Verzending

    lid = betrokken_twente.lid
    membership = Lidmaatschap.objects.get(lid=lid)
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_tier_request(lid=lid, netwerk_id=twente.pk, schil="kern")
        services.membership_tier_accept(lidmaatschap_id=membership.pk)
    [row] = Verzending.objects.filter(soort="schil_besluit")
    assert row.status == "verzonden" and row.ontvanger == betrokken_twente.email
    assert delivery.send_queued([row.pk]) == 0  # a retried task finds it sent
    assert len(mail.outbox) == 1

    # Asking again later is a new request, with a decision mail of its own.
    Lidmaatschap.objects.filter(pk=membership.pk).update(schil="betrokken")
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_tier_request(lid=lid, netwerk_id=twente.pk, schil="kern")
        services.membership_tier_decline(lidmaatschap_id=membership.pk, message="Nog even niet")
    assert Verzending.objects.filter(soort="schil_besluit").count() == 2
    assert len(mail.outbox) == 2 and "Nog even niet" in mail.outbox[1].body


def test_leaving_the_core_or_the_network_frees_places_at_meetings_out_of_sight(twente, kern_twente):
    from datetime import timedelta

    from django.utils import timezone

    from bijeenkomsten.models import Aanmelding

    lid = kern_twente.lid
    kern = factories.BijeenkomstFactory(doelgroep="kern", netwerken=[twente], capaciteit=1)
    leden = factories.BijeenkomstFactory(doelgroep="leden", netwerken=[twente])
    past = factories.BijeenkomstFactory(
        doelgroep="kern", netwerken=[twente], begin=timezone.now() - timedelta(days=7)
    )
    own = {m: factories.AanmeldingFactory(bijeenkomst=m, lid=lid) for m in (kern, leden, past)}
    other_core = factories.LidmaatschapFactory(netwerk=twente, schil="kern", status="actief").lid
    waiting = factories.AanmeldingFactory(bijeenkomst=kern, lid=other_core, status="wachtlijst")

    def status(aanmelding):
        return Aanmelding.objects.get(pk=aanmelding.pk).status

    membership = Lidmaatschap.objects.get(lid=lid, netwerk=twente)
    assert services.membership_tier_change(lidmaatschap_id=membership.pk, schil="betrokken")
    # Out of the core: the core meeting's place goes to the one waiting; the rest stays.
    assert (status(own[kern]), status(waiting)) == ("geannuleerd", "aangemeld")
    assert (status(own[leden]), status(own[past])) == ("aangemeld", "aangemeld")

    assert services.membership_leave(lid=lid, netwerk_id=twente.pk)
    # Out of the network: the members-only meeting goes too; the past one is history.
    assert (status(own[leden]), status(own[past])) == ("geannuleerd", "aangemeld")
