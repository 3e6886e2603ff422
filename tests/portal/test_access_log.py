"""Who looked (issue 19): coordinators and staff opening a member's details in the admin are
logged (who, when, whose, which page; never the data), and so is every export; the member's
data download lists both."""

from __future__ import annotations

import json

from django.urls import reverse

from leden.privacy import member_data
from portal import exportjobs
from portal.models import ExportLog, Inzage
from portal.queueing import enqueue
from tests import factories, mailfixtures
from tests.portal.test_exports import _content as export_content

eager_celery = mailfixtures.eager_celery


def test_coordinator_opening_a_member_in_the_admin_is_logged_without_data(
    client, coordinator_twente, kern_twente
):
    lid = kern_twente.lid
    client.force_login(coordinator_twente)
    for url in (
        reverse("admin:leden_lid_change", args=[lid.pk]),
        reverse("admin:leden_lidmaatschap_change", args=[lid.lidmaatschappen.get().pk]),
    ):
        assert client.get(url).status_code == 200
    views = list(Inzage.objects.filter(subject=kern_twente).order_by("pk"))
    assert [(v.viewer_id, v.viewer_email, v.waar, v.what) for v in views] == [
        (coordinator_twente.pk, coordinator_twente.email, "admin", "leden.lid"),
        (coordinator_twente.pk, coordinator_twente.email, "admin", "leden.lidmaatschap"),
    ]
    # Nothing of what was shown: no name, no organisation.
    row = Inzage.objects.filter(subject=kern_twente).values().first()
    assert lid.naam not in json.dumps(row, default=str)


def test_opening_a_members_registration_is_logged_a_guests_is_not(client, staff, kern_twente):
    meeting = factories.BijeenkomstFactory()
    theirs = factories.AanmeldingFactory(bijeenkomst=meeting, lid=kern_twente.lid)
    guest = factories.AanmeldingFactory(
        bijeenkomst=meeting, lid=None, gast_naam="Gast", gast_email="gast@example.org"
    )
    client.force_login(staff)
    for aanmelding in (theirs, guest):
        url = reverse("admin:bijeenkomsten_aanmelding_change", args=[aanmelding.pk])
        assert client.get(url).status_code == 200
    assert list(Inzage.objects.values_list("subject_id", "what")) == [
        (kern_twente.pk, "bijeenkomsten.aanmelding")
    ]


def test_the_list_alone_and_ones_own_page_are_not_logged(client, staff, kern_twente):
    client.force_login(staff)
    assert client.get(reverse("admin:leden_lid_changelist")).status_code == 200
    assert client.get(reverse("admin:leden_user_change", args=[staff.pk])).status_code == 200
    assert not Inzage.objects.exists()


def test_the_data_download_lists_who_viewed_and_who_exported(
    client, staff, coordinator_twente, kern_twente, lid_rotterdam, twente, monkeypatch, eager_celery
):
    monkeypatch.setattr(exportjobs, "enqueue_on_commit", enqueue)  # the job runs at once
    client.force_login(staff)
    client.get(reverse("admin:leden_user_change", args=[kern_twente.pk]))
    response = client.post(reverse("portal:members"), {"formaat": "csv", "netwerk": twente.pk})
    assert export_content(response)
    assert ExportLog.objects.filter(export="members").count() == 1

    data = member_data(lid=kern_twente.lid)
    assert [(v["viewer_email"], v["what"]) for v in data["ingezien_door"]] == [
        (staff.email, "leden.user")
    ]
    assert [e["user_email"] for e in data["exports"]] == [staff.email]
    # Rotterdam's member was in no export and opened by nobody.
    other = member_data(lid=lid_rotterdam.lid)
    assert other["ingezien_door"] == [] and other["exports"] == []
