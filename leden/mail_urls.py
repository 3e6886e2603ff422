"""The member's mail pages, at /berichten/ (config.urls) under their old namespace: the links
in mails already sent keep working."""

from django.urls import path

from . import mail_views as views

app_name = "berichten"

urlpatterns = [
    path("nieuwsbrief/", views.digest_request_view, name="digest_aanvragen"),
    path(
        "nieuwsbrief/bevestigen/<str:token>/", views.digest_confirm_view, name="digest_bevestigen"
    ),
    path("voorkeuren/", views.mail_preferences_view, name="voorkeuren"),
    path("afmelden/<str:token>/", views.unsubscribe, name="afmelden"),
]
