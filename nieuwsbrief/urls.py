from django.urls import path

from . import views

app_name = "nieuwsbrief"

urlpatterns = [
    path("", views.subscribe, name="aanmelden"),
    path("bevestigen/<str:token>/", views.confirm, name="bevestigen"),
    path("afmelden/<str:token>/", views.unsubscribe, name="afmelden"),
]
