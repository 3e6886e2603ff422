from django.urls import path

from bijeenkomsten import views as bijeenkomsten_views

from . import views

app_name = "netwerken"

urlpatterns = [
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/agenda.ics", bijeenkomsten_views.network_feed, name="ics"),
    path(
        "<slug:slug>/programma/<int:jaar>/<int:helft>/",
        bijeenkomsten_views.programme,
        name="programma",
    ),
]
