"""The committee's group, holding its one permission. Empty: the board puts members in it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("meldpunt")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)  # normally made after migrating
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Onderzoekscommissie")
    group.permissions.add(
        Permission.objects.get(codename="behandelen", content_type__app_label="meldpunt")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("meldpunt", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
