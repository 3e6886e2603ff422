"""The admin as a coordinator sees it: no technical fields, their network prefilled, filters that
list only their own networks."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_coordinator_plans_a_meeting_without_technical_fields(
    client, coordinator_twente, twente, rotterdam
):
    client.force_login(coordinator_twente)
    add = reverse("admin:bijeenkomsten_bijeenkomst_add")
    page = client.get(add).content.decode()
    assert 'name="slug"' not in page and "sequence" not in page
    assert f'<option value="{twente.pk}" selected>' in page  # their one network, prefilled


def test_staff_still_see_the_slug(client, staff):
    client.force_login(staff)
    page = client.get(reverse("admin:bijeenkomsten_bijeenkomst_add")).content.decode()
    assert 'name="slug"' in page


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:bijeenkomsten_bijeenkomst_changelist",
        "admin:bijeenkomsten_halfjaarprogramma_changelist",
        "admin:leden_lidmaatschap_changelist",
    ],
)
def test_filter_sidebars_list_only_the_coordinators_networks(
    client, coordinator_twente, twente, rotterdam, changelist
):
    programma = factories.HalfjaarprogrammaFactory(netwerk=twente)
    factories.BijeenkomstFactory(netwerken=[twente], programma=programma)
    factories.BijeenkomstFactory(
        netwerken=[rotterdam], programma=factories.HalfjaarprogrammaFactory(netwerk=rotterdam)
    )
    factories.LidmaatschapFactory(netwerk=rotterdam)
    client.force_login(coordinator_twente)
    page = client.get(reverse(changelist)).content.decode()
    sidebar = page[page.index('id="changelist-filter"') :]
    # Only networks in the coordinator's own rows are offered (none at all when one is left).
    assert "Regionetwerk Rotterdam" not in sidebar
