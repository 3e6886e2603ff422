from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("berichten", "0008_rekey_mails")]

    operations = [
        migrations.AddConstraint(
            model_name="verzending",
            constraint=models.UniqueConstraint(
                condition=models.Q(("sleutel", ""), _negated=True),
                fields=("soort", "ontvanger", "sleutel"),
                name="verzending_once_per_key",
            ),
        ),
    ]
