from django.urls import path

from . import views

app_name = "leden"

urlpatterns = [
    path("profiel/", views.profile, name="profiel"),
    path("profiel/agenda-link/", views.renew_calendar_token, name="agenda_link"),
    path("profiel/mijn-gegevens.json", views.data_download, name="gegevens"),
    path("profiel/verwijderen/", views.delete_account, name="verwijderen"),
    path("<int:pk>/foto/", views.photo, name="foto"),
    path("foto/<path:name>", views.photo_file, name="foto_bestand"),
    path("netwerk/<slug:slug>/meedoen/", views.join, name="meedoen"),
    path("netwerk/<slug:slug>/verlaten/", views.leave, name="verlaten"),
    path("netwerk/<slug:slug>/schil/", views.tier_move, name="schil_wisselen"),
]
