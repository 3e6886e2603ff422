from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("leden/", views.members, name="members"),
    path("bijeenkomst/<int:pk>/", views.meeting, name="meeting"),
    path("programma/<int:pk>/", views.programme, name="programme"),
]
