from django.urls import path

from . import views

app_name = "deelname"

# At the site's root (config.urls): the verification address is short, for the QR code.
urlpatterns = [
    path("v/<str:code>", views.verify, name="verificatie"),
    path("deelname/", views.my_attendance, name="mijn_deelname"),
    path("deelname/bewijs/<int:bijeenkomst_id>.pdf", views.certificate, name="bewijs"),
    path("deelname/<int:jaar>.pdf", views.year_pdf, name="jaar_pdf"),
    path("deelname/<int:jaar>.csv", views.year_csv, name="jaar_csv"),
    path("deelname/cijfers/", views.staff_figures, name="staf_cijfers"),
    path("deelname/netwerk/<slug:slug>/cijfers/", views.network_figures, name="netwerk_cijfers"),
]
