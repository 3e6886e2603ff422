"""Joining a network: coordinators hear of each request, and their admin shows what waits."""

import pytest
from django.urls import reverse

from leden import services
from tests import factories, mailfixtures
from tests.mailfixtures import html_part, text_part

pytestmark = pytest.mark.django_db
smtp_server, smtp, eager_celery = (
    mailfixtures.smtp_server,
    mailfixtures.smtp,
    mailfixtures.eager_celery,
)


def test_coordinators_are_mailed_once_per_request_without_the_members_data(
    client,
    smtp,
    eager_celery,
    twente,
    rotterdam,
    coordinator_twente,
    django_capture_on_commit_callbacks,
):
    second = factories.UserFactory(email="tweede.coordinator@example.org")
    twente.coordinators.add(second)
    applicant = factories.LidFactory(naam="Anna Aanvrager")
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_request(
            lid=applicant, netwerk_id=twente.pk, schil="kern", motivatie="Mijn geheime reden"
        )
        services.membership_request(  # asking twice changes nothing, mails nobody again
            lid=applicant, netwerk_id=twente.pk, schil="kern", motivatie="Mijn geheime reden"
        )
    assert sorted(smtp.recipients()) == sorted([coordinator_twente.email, second.email])
    for message in smtp.messages:
        assert "Twente" in message["Subject"]
        for body in (text_part(message), html_part(message)):
            assert "Anna" not in body and "geheime" not in body
            assert reverse("admin:leden_lidmaatschap_changelist") in body

    member = factories.LidmaatschapFactory(netwerk=twente, schil="betrokken").lid
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_tier_request(lid=member, netwerk_id=twente.pk, schil="kern")
        services.membership_tier_request(lid=member, netwerk_id=twente.pk, schil="kern")
    tier = [m for m in smtp.messages if "schilwissel" in m["Subject"]]
    assert len(tier) == 2  # one per coordinator, not two each


def test_the_admin_index_shows_open_requests_of_my_networks_only(
    client, twente, rotterdam, coordinator_twente
):
    for _ in range(2):
        factories.LidmaatschapFactory(netwerk=twente, status="aangevraagd")
    factories.LidmaatschapFactory(netwerk=rotterdam, status="aangevraagd")
    factories.LidmaatschapFactory(netwerk=twente, gevraagde_schil="kern", schil="betrokken")
    client.force_login(coordinator_twente)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Wacht op je besluit" in html
    assert "2 aanvragen om lid te worden" in html and "1 schilwissel" in html
    changelist = client.get(
        reverse("admin:leden_lidmaatschap_changelist") + "?status__exact=aangevraagd"
    )
    assert changelist.status_code == 200
