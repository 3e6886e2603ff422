"""The privacy statement and the processing record are made from the register (issue 19):
their periods are the very settings the nightly job reads."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from leden.models import Lidmaatschap
from leden.services import membership_decline
from portal import exportjobs
from portal.models import ExportLog
from portal.personal_data import entries
from portal.queueing import enqueue
from portal.retention import run_retention
from tests import factories, mailfixtures
from tests.portal.test_exports import _content as export_content

eager_celery = mailfixtures.eager_celery


def _statement(client) -> str:
    response = client.get(reverse("privacy:verklaring"))
    assert response.status_code == 200
    return response.content.decode()


def test_statement_lists_every_entry_and_who_is_responsible(client, db):
    factories.KoepelFactory(
        privacy_organisatie="Stichting BPSW",
        privacy_adres="Postbus 1\n3500 AA Utrecht",
        privacy_contact="privacy@bpsw.example",
    )
    page = _statement(client)
    for entry in entries():
        assert str(entry.purpose).replace("'", "&#x27;") in page
    assert "Stichting BPSW" in page and "mailto:privacy@bpsw.example" in page
    assert "Postbus 1<br>3500 AA Utrecht" in page
    for name in ("leden:gegevens", "leden:verwijderen", "leden:profiel"):
        assert f'href="{reverse(name)}"' in page


def test_a_changed_setting_changes_the_statement_and_the_job_alike(client, settings, twente):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "declined_requests": 45}
    page = _statement(client)
    assert "45 dagen" in page
    # The declined requests' period, not another's (the newer apps keep things 30 days too).
    assert "45 dagen nadat de aanvraag is afgewezen" in page
    assert "30 dagen nadat de aanvraag is afgewezen" not in page

    dirk = factories.LidFactory()
    request = Lidmaatschap.objects.create(lid=dirk, netwerk=twente, status="aangevraagd")
    membership_decline(lidmaatschap_id=request.pk)
    now = timezone.now()
    run_retention(now + timedelta(days=31))
    assert Lidmaatschap.objects.filter(pk=request.pk).exists()  # 30 days no longer applies
    run_retention(now + timedelta(days=46))
    assert not Lidmaatschap.objects.filter(pk=request.pk).exists()


def test_every_page_links_the_statement_in_its_footer(client, staff, twente):
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("privacy:verklaring")}"' in home
    client.force_login(staff)
    admin = client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("privacy:verklaring")}"' in admin


def test_forms_that_ask_for_personal_data_link_the_statement(client, kern_twente, twente):
    url = reverse("privacy:verklaring")
    assert url in client.get(reverse("account_signup")).content.decode()
    client.force_login(kern_twente)
    assert url in client.get(reverse("leden:profiel")).content.decode()


def test_staff_export_the_processing_record(client, staff, monkeypatch, eager_celery):
    monkeypatch.setattr(exportjobs, "enqueue_on_commit", enqueue)  # the job runs at once
    client.force_login(staff)
    assert "verwerkingsregister" in client.get(reverse("portal:index")).content.decode()
    response = client.post(reverse("portal:verwerkingsregister"), {"formaat": "csv-comma"})
    text = export_content(response).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + len(entries())
    declined = next(r for r in rows if r[1] == "leden.Lidmaatschap")
    assert declined[6:8] == ["declined_requests", "30"]
    assert ExportLog.objects.filter(export="processing_record", user=staff).exists()


def test_coordinators_and_members_do_not_get_the_processing_record(
    client, coordinator_twente, kern_twente
):
    for user in (coordinator_twente, kern_twente):
        client.force_login(user)
        response = client.post(reverse("portal:verwerkingsregister"), {"formaat": "csv"})
        assert response.status_code == 403
