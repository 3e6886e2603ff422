from django.urls import path

from . import views

app_name = "bevragingen"

# Under /bevragingen/ (config.urls); the published results under /netwerken/<slug>/.
urlpatterns = [
    path("<str:sleutel>/", views.fill_in, name="invullen"),
    path("<str:sleutel>/antwoord/", views.answer, name="antwoord"),
    path("<str:sleutel>/bedankt/", views.thanks, name="bedankt"),
    path("<str:sleutel>/bevestigen/<str:token>/", views.confirm_email, name="bevestigen"),
    path("<str:sleutel>/resultaten/", views.results, name="resultaten"),
    path("<str:sleutel>/resultaten/open/<int:vraag_id>/", views.open_answers, name="open"),
]

# Under /netwerken/<slug>/bevragingen/ (config.urls), namespace "bevragingen_netwerk".
network_urlpatterns = [
    path("", views.published, name="gepubliceerd"),
]
