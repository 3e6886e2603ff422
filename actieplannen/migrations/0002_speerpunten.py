"""Today's focus points (netwerken.Speerpunt, one line of text) become challenges of an action
plan per network, before netwerken.0004 removes the model: one concept from now on."""

from django.db import migrations
from django.utils import timezone

PLAN_TITLE = "Speerpunten"  # the plan's title as the focus points were called


def focus_points_to_challenges(apps, schema_editor):
    Speerpunt = apps.get_model("netwerken", "Speerpunt")
    Actieplan = apps.get_model("actieplannen", "Actieplan")
    Uitdaging = apps.get_model("actieplannen", "Uitdaging")
    Wijziging = apps.get_model("actieplannen", "Wijziging")
    plans = {}
    for punt in Speerpunt.objects.order_by("netwerk_id", "volgorde", "id"):
        plan = plans.get(punt.netwerk_id)
        if plan is None:
            plan = plans[punt.netwerk_id] = Actieplan.objects.create(
                netwerk_id=punt.netwerk_id, titel=PLAN_TITLE, aangemaakt_op=timezone.now()
            )
        uitdaging, created = Uitdaging.objects.get_or_create(
            plan=plan,
            titel=punt.titel,
            defaults={"toelichting": punt.toelichting, "volgorde": punt.volgorde},
        )
        if created:
            Wijziging.objects.create(
                plan=plan,
                onderwerp="uitdaging",
                onderwerp_id=uitdaging.pk,
                soort="aangemaakt",
                omschrijving=f"Speerpunt “{punt.titel}” overgenomen als uitdaging.",
            )


def challenges_to_focus_points(apps, schema_editor):
    Speerpunt = apps.get_model("netwerken", "Speerpunt")
    Uitdaging = apps.get_model("actieplannen", "Uitdaging")
    for uitdaging in Uitdaging.objects.filter(
        plan__titel=PLAN_TITLE, plan__netwerk__isnull=False
    ).select_related("plan"):
        Speerpunt.objects.get_or_create(
            netwerk_id=uitdaging.plan.netwerk_id,
            titel=uitdaging.titel[:200],
            defaults={"toelichting": uitdaging.toelichting, "volgorde": uitdaging.volgorde},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("actieplannen", "0001_initial"),
        ("netwerken", "0003_netwerk_logo_checked"),
    ]
    # The lower app's migration that removes the model waits for this one.
    run_before = [("netwerken", "0004_delete_speerpunt")]

    operations = [migrations.RunPython(focus_points_to_challenges, challenges_to_focus_points)]
