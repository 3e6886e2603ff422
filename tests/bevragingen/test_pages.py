"""Filling in without JavaScript, saving answers one by one, submitting once; the results
for coordinators only, in a fixed number of queries; the published results."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bevragingen.models import Antwoord, Bevraging, Deelname, Respons, Vraag
from tests import mailfixtures
from tests.bevragingen.conftest import add_responses, build_survey

eager_celery = mailfixtures.eager_celery

pytestmark = pytest.mark.django_db


def _url(bevraging, name="invullen", **kwargs):
    return reverse(f"bevragingen:{name}", kwargs={"sleutel": bevraging.sleutel, **kwargs})


def _full_post(bevraging, actie="indienen"):
    data = {"actie": actie, "vragen": []}
    for q in bevraging.vragen.prefetch_related("opties"):
        data["vragen"].append(q.pk)
        if q.soort in (Vraag.Soort.EEN, Vraag.Soort.MEER):
            data[f"v{q.pk}"] = [q.opties.all()[0].pk]
        elif q.soort == Vraag.Soort.SCHAAL:
            data[f"v{q.pk}"] = "4"
        elif q.soort == Vraag.Soort.GETAL:
            data[f"v{q.pk}"] = "12"
        else:
            data[f"v{q.pk}"] = '=HYPERLINK("x")'
    return data


def test_a_visitor_fills_in_an_open_survey_without_javascript(client, survey):
    page = client.get(_url(survey))
    assert page.status_code == 200
    token = page.context["token"]
    assert Respons.objects.count() == 0  # a GET writes nothing
    data = _full_post(survey) | {"respons": token}
    response = client.post(_url(survey), data)
    assert response.status_code == 302
    assert response["Location"] == _url(survey, "bedankt")
    respons = Respons.objects.get()
    assert respons.afgerond
    assert Antwoord.objects.filter(respons=respons).count() == 20
    # Nothing about the person: no account, IP or user agent fields at all.
    names = {f.name for f in Respons._meta.get_fields()}
    assert names == {"id", "bevraging", "sleutel_hash", "begonnen_op", "afgerond", "antwoorden"}
    # The same device comes back to the thank-you page, not a second response.
    again = client.get(_url(survey))
    assert again.status_code == 302
    assert Respons.objects.count() == 1


def test_a_submit_missing_required_answers_sends_nothing_and_says_which(client, survey):
    token = client.get(_url(survey)).context["token"]
    data = _full_post(survey) | {"respons": token}
    first = survey.vragen.get(volgorde=1)
    data.pop(f"v{first.pk}")
    response = client.post(_url(survey), data)
    assert response.status_code == 200
    assert first in response.context["error_questions"]
    assert not Respons.objects.get().afgerond
    assert Antwoord.objects.count() == 19  # the given answers are kept


def test_answers_saved_one_by_one_land_in_one_response_and_a_retry_changes_nothing(client, survey):
    token = client.get(_url(survey)).context["token"]
    vraag = survey.vragen.get(volgorde=5)  # a scale
    for _attempt in range(2):
        response = client.post(
            _url(survey, "antwoord"), {"respons": token, "vragen": vraag.pk, f"v{vraag.pk}": "3"}
        )
        assert response.status_code == 200
    other = survey.vragen.get(volgorde=1)  # one choice
    option = other.opties.first()
    client.post(
        _url(survey, "antwoord"), {"vragen": other.pk, f"v{other.pk}": option.pk}
    )  # now by the cookie alone
    assert Respons.objects.count() == 1
    assert Antwoord.objects.filter(vraag=vraag).get().getal == 3
    bad = client.post(_url(survey, "antwoord"), {"vragen": vraag.pk, f"v{vraag.pk}": "9"})
    assert bad.status_code == 400


def test_a_closed_survey_takes_no_answers(client, twente):
    now = timezone.now()
    closed = build_survey(
        twente, questions=3, opent_op=now - timedelta(days=9), sluit_op=now - timedelta(days=1)
    )
    page = client.get(_url(closed))
    assert "bevragingen/gesloten.html" in [t.name for t in page.templates]
    response = client.post(
        _url(closed, "antwoord"), {"respons": "x" * 32, "vragen": closed.vragen.first().pk}
    )
    assert response.status_code == 400
    assert Respons.objects.count() == 0


def test_members_only_survey_counts_a_member_once_apart_from_the_answers(
    client, twente, kern_twente, lid_rotterdam
):
    survey = build_survey(
        twente, questions=3, doelgroep=Bevraging.Doelgroep.LEDEN, een_per_persoon=True
    )
    assert client.get(_url(survey)).status_code == 302  # to the login
    client.force_login(lid_rotterdam)
    assert client.get(_url(survey)).status_code == 404
    client.force_login(kern_twente)
    token = client.get(_url(survey)).context["token"]
    assert client.post(_url(survey), _full_post(survey) | {"respons": token}).status_code == 302
    assert Deelname.objects.filter(user=kern_twente).count() == 1
    # A second device: refused.
    client.cookies.clear()
    client.force_login(kern_twente)
    response = client.get(_url(survey))
    assert b"already" in response.content or "al_ingevuld" in response.templates[0].name
    assert Respons.objects.filter(afgerond=True).count() == 1


def test_open_one_per_person_survey_confirms_an_address_kept_apart(client, twente, mailoutbox):
    survey = build_survey(twente, questions=3, een_per_persoon=True)
    page = client.get(_url(survey))
    assert "bevragingen/email.html" in [t.name for t in page.templates]
    client.post(_url(survey), {"actie": "email", "email": "sw@example.org"})
    from berichten.models import Verzending

    mail = Verzending.objects.get(ontvanger="sw@example.org")
    link = mail.tekst.split("/bevragingen/")[1].split()[0]
    token = link.split("/bevestigen/")[1].strip("/")
    assert client.post(_url(survey, "bevestigen", token=token)).status_code == 302
    assert Respons.objects.count() == 1
    assert client.post(_url(survey, "bevestigen", token=token)).status_code == 410
    # A fresh device without the cookie cannot just start a response.
    other = client.__class__()
    assert other.post(_url(survey, "antwoord"), {"respons": "y" * 32}).status_code == 403


ROLES_RESULTS = {
    "visitor": 404,
    "lid_rotterdam": 404,
    "kern_twente": 404,
    "coordinator_twente": 200,
    "staff": 200,
}


@pytest.mark.parametrize(("role", "status"), ROLES_RESULTS.items())
def test_results_are_for_the_networks_coordinators_and_staff(client, cast, survey, role, status):
    if role != "visitor":
        client.force_login(cast[role])
    assert client.get(_url(survey, "resultaten")).status_code == status


def _results_queries(client, django_assert_num_queries, survey, expected):
    by = survey.vragen.get(volgorde=0)
    with django_assert_num_queries(expected):
        response = client.get(_url(survey, "resultaten") + f"?per={by.pk}")
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("responses", [30, 300])
def test_results_take_a_fixed_number_of_queries(
    client, staff, survey, django_assert_num_queries, responses
):
    add_responses(survey, responses)
    client.force_login(staff)
    client.get(_url(survey, "resultaten"))  # session, TOTP state: warm
    response = _results_queries(client, django_assert_num_queries, survey, 11)
    # Sent responses do not change: the counts come from the cache until a new one is sent.
    _results_queries(client, django_assert_num_queries, survey, 7)
    text = response.content.decode()
    assert "<svg" in text and "<table" in text


def test_a_new_response_shows_in_the_results_at_once(client, staff, survey):
    add_responses(survey, 30)
    client.force_login(staff)
    url = _url(survey, "resultaten")
    assert client.get(url).context["results"].total == 30
    add_responses(survey, 1, seed=2)
    assert client.get(url).context["results"].total == 31


def test_results_never_show_a_figure_below_five(client, staff, survey):
    add_responses(survey, 40)
    client.force_login(staff)
    by = survey.vragen.get(volgorde=0)
    results = client.get(_url(survey, "resultaten") + f"?per={by.pk}").context["results"]
    for r in results.questions:
        for f in r.figures:
            assert f.count is None or f.count >= 5
        if r.breakdown and not r.breakdown.withheld:
            for row in r.breakdown.rows:
                assert row.size is None or row.size >= 5
                for f in row.cells:
                    assert f.count is None or f.count >= 5


def test_published_results_show_only_the_chosen_questions(client, survey):
    add_responses(survey, 40)
    response = client.get(reverse("bevragingen_netwerk:gepubliceerd", args=["twente"]))
    assert response.status_code == 200
    shown = {r.vraag.pk for o in response.context["outcomes"] for r in o.questions}
    assert shown == set(survey.vragen.filter(publiceren=True).values_list("pk", flat=True))


def test_the_export_is_formula_safe_and_logged(
    client, coordinator_twente, survey, monkeypatch, eager_celery
):
    from portal import exportjobs
    from portal.models import ExportLog
    from portal.queueing import enqueue
    from tests.portal.test_exports import _content

    monkeypatch.setattr(exportjobs, "enqueue_on_commit", enqueue)  # the job runs at once
    token = client.get(_url(survey)).context["token"]
    client.post(_url(survey), _full_post(survey) | {"respons": token})
    client.force_login(coordinator_twente)
    response = client.post(reverse("portal:survey", args=[survey.sleutel]), {"formaat": "csv"})
    body = _content(response).decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert ExportLog.objects.get().rows == 1


def test_coordinators_tag_open_answers(client, coordinator_twente, survey):
    add_responses(survey, 6)
    vraag = survey.vragen.filter(soort=Vraag.Soort.OPEN).first()
    antwoord = Antwoord.objects.filter(vraag=vraag).first()
    client.force_login(coordinator_twente)
    url = _url(survey, "open", vraag_id=vraag.pk)
    assert client.get(url).status_code == 200
    client.post(url, {"antwoord": antwoord.pk, "labels": "werkdruk, tijd"})
    assert sorted(antwoord.labels.values_list("naam", flat=True)) == ["tijd", "werkdruk"]
