from django.urls import path

from . import views

app_name = "berichten"

urlpatterns = [
    path("nieuwsbrief/", views.digest_request_view, name="digest_aanvragen"),
    path(
        "nieuwsbrief/bevestigen/<str:token>/", views.digest_confirm_view, name="digest_bevestigen"
    ),
    path("voorkeuren/", views.mail_preferences_view, name="voorkeuren"),
    path("afmelden/<str:token>/", views.unsubscribe, name="afmelden"),
]
