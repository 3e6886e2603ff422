"""Links typed without a scheme are taken as https, in every form and the admin."""

import pytest

from bijeenkomsten.models import Bijeenkomst, Materiaal
from netwerken.models import Koepel, Partnerorganisatie


@pytest.mark.parametrize(
    ("model", "name"),
    [
        (Bijeenkomst, "online_link"),
        (Materiaal, "url"),
        (Koepel, "website"),
        (Partnerorganisatie, "website"),
    ],
)
def test_a_link_without_a_scheme_becomes_https(model, name):
    field = model._meta.get_field(name).formfield()
    assert field.clean("bpsw.nl/regionetwerken") == "https://bpsw.nl/regionetwerken"
    assert field.clean("http://example.org/") == "http://example.org/"  # typed out: kept
