from django.urls import path

from . import views

app_name = "bijeenkomsten"

urlpatterns = [
    path("archief/", views.archive, name="archief"),
    path("mijn-aanmeldingen/", views.my_registrations, name="mijn_aanmeldingen"),
    path("gast/bevestigen/<str:token>/", views.confirm_guest, name="gast_bevestigen"),
    path("gast/afmelden/<str:token>/", views.cancel_guest, name="gast_afmelden"),
    path("materiaal/<path:name>", views.material, name="materiaal"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/aanmelden/", views.register, name="aanmelden"),
    path("<slug:slug>/afmelden/", views.cancel, name="afmelden"),
    path("<slug:slug>/gast/", views.register_guest, name="gast_aanmelden"),
    path("<slug:slug>/agenda.ics", views.meeting_ics, name="ics"),
]

# A network's pages, under /netwerken/ in the "netwerken" namespace (config.urls): what they
# show is meetings and members, which live here and below, not in netwerken.
network_urlpatterns = [
    path("<slug:slug>/", views.network, name="detail"),
    path("<slug:slug>/agenda.ics", views.network_feed, name="ics"),
    path("<slug:slug>/programma/<int:jaar>/<int:helft>/", views.programme, name="programma"),
]
