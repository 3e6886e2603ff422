from django.urls import path

from . import views

app_name = "actieplannen"

# Under /actieplannen/ (config.urls).
urlpatterns = [
    path("netwerk/<slug:slug>/", views.network_plan, name="netwerk"),
    path("koepel/<slug:slug>/", views.umbrella_plan, name="koepel"),
    path("punt/<int:pk>/volgen/", views.follow, name="volgen"),
]
