from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Verzending
from .tasks import enqueue_sending


@admin.register(Verzending)
class VerzendingAdmin(admin.ModelAdmin):
    list_display = ["aangemaakt_op", "ontvanger", "soort", "bijeenkomst", "status", "verzonden_op"]
    list_filter = ["status", "soort", "aangemaakt_op"]
    search_fields = ["ontvanger", "lid__naam", "bijeenkomst__titel", "sleutel"]
    list_select_related = ["bijeenkomst", "lid"]
    raw_id_fields = ["bijeenkomst", "lid"]
    date_hierarchy = "aangemaakt_op"
    readonly_fields = [
        "ontvanger",
        "soort",
        "bijeenkomst",
        "lid",
        "sleutel",
        "onderwerp",
        "gegevens",
        "status",
        "pogingen",
        "fout",
        "aangemaakt_op",
        "verzonden_op",
    ]
    # The text of a queued mail may hold a secret link: not for the admin to read. Headers and
    # attachments (a calendar file) are only what the mail carries.
    exclude = ["tekst", "html", "headers", "bijlagen"]
    actions = ["requeue"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Try failed mails again"))
    def requeue(self, request, queryset) -> None:
        with transaction.atomic():
            # Rows without a subject are claims their domain sends itself (the digest).
            ids = list(
                queryset.filter(status=Verzending.Status.FAILED)
                .exclude(onderwerp="")
                .values_list("pk", flat=True)
            )
            Verzending.objects.filter(pk__in=ids).update(
                status=Verzending.Status.QUEUED, pogingen=0
            )
            enqueue_sending(ids)
        self.message_user(request, _("%(count)d mails queued again.") % {"count": len(ids)})
