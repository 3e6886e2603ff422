"""The focus points of before (netwerken.Speerpunt) became challenges of an action plan."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("actieplannen", "0001_initial"), ("netwerken", "0003_netwerk_logo_checked")]
AFTER = [("actieplannen", "0002_speerpunten"), ("netwerken", "0004_delete_speerpunt")]


@pytest.mark.django_db(transaction=True)
def test_focus_points_become_challenges_and_the_model_goes():
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        koepel = old.get_model("netwerken", "Koepel").objects.create(
            naam="Sterk Sociaal Werk", slug="ssw", land="BE"
        )
        limburg = old.get_model("netwerken", "Netwerk").objects.create(
            naam="Limburg", slug="limburg", koepel=koepel, regio="Limburg"
        )
        old.get_model("netwerken", "Netwerk").objects.create(
            naam="Stil", slug="stil", koepel=koepel, regio="Elders"
        )
        Speerpunt = old.get_model("netwerken", "Speerpunt")
        for volgorde, titel in enumerate(["Diversiteit", "Eerste lijn", "Onderbescherming"]):
            Speerpunt.objects.create(
                netwerk=limburg, titel=titel, volgorde=volgorde, toelichting=f"Over {titel}"
            )

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        assert "speerpunt" not in new.all_models["netwerken"]
        [plan] = new.get_model("actieplannen", "Actieplan").objects.all()
        assert plan.netwerk_id == limburg.pk and plan.titel == "Speerpunten"
        challenges = plan.uitdagingen.order_by("volgorde")
        assert [(u.titel, u.toelichting) for u in challenges] == [
            ("Diversiteit", "Over Diversiteit"),
            ("Eerste lijn", "Over Eerste lijn"),
            ("Onderbescherming", "Over Onderbescherming"),
        ]
        assert plan.wijzigingen.count() == 3
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
