from django.urls import path

from . import views

app_name = "contact"

urlpatterns = [
    path("", views.index, name="index"),
    path("netwerk/<slug:slug>/", views.network_contact, name="netwerk"),
    path("koepel/<slug:slug>/", views.umbrella_contact, name="koepel"),
]
