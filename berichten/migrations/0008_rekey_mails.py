"""Existing rows get keys that meet the one unique constraint of 0009 (see `rekey`)."""

from django.db import migrations


# Before this migration reminders were unique per (member or address, meeting, offset) and
# digests per (member, period); now every mail is unique per (kind, recipient, key), so the
# meeting goes into a reminder's key. Where two old rows would still meet under the new
# constraint (a meeting deleted since, two members who shared an address), the later row's
# key gets its id appended.
def rekey(apps, schema_editor):
    Verzending = apps.get_model("berichten", "Verzending")
    seen = set(
        Verzending.objects.exclude(soort__in=["herinnering", "digest"])
        .exclude(sleutel="")
        .values_list("soort", "ontvanger", "sleutel")
    )
    rows = (
        Verzending.objects.filter(soort__in=["herinnering", "digest"])
        .exclude(sleutel="")
        .order_by("pk")
        .only("pk", "soort", "ontvanger", "sleutel", "bijeenkomst_id")
    )
    for row in rows.iterator(chunk_size=2000):
        key = row.sleutel
        if row.soort == "herinnering" and not key.startswith("bijeenkomst-"):
            key = f"bijeenkomst-{row.bijeenkomst_id or 'x'}-{key}"
        if (row.soort, row.ontvanger, key) in seen:
            key = f"{key}-{row.pk}"
        seen.add((row.soort, row.ontvanger, key))
        if key != row.sleutel:
            Verzending.objects.filter(pk=row.pk).update(sleutel=key[:60])


# The worker used to render most mails when it sent them; it now sends only what was rendered
# when queued. A row still queued from before has nothing to send: marked failed, with why,
# so it shows in the mail log instead of waiting forever. (Digests and the departure mail are
# still rendered by their own task and are left alone.)
def fail_unrendered(apps, schema_editor):
    Verzending = apps.get_model("berichten", "Verzending")
    Verzending.objects.filter(status="wachtrij", onderwerp="").exclude(
        soort__in=["digest", "lid_vertrokken"]
    ).update(status="mislukt", fout="queued before mails were rendered when queued; not sent")


class Migration(migrations.Migration):
    dependencies = [("berichten", "0007_outbox_renders_at_queue_time")]

    operations = [
        migrations.RunPython(rekey, migrations.RunPython.noop),
        migrations.RunPython(fail_unrendered, migrations.RunPython.noop),
    ]
