from django.urls import path

from . import views

app_name = "representation"

urlpatterns = [
    path("", views.wards, name="wards"),
    path("act/", views.switch, name="switch"),
    path("open/<str:token>/", views.open_for_ward, name="open"),
    path("request/", views.request_new, name="request"),
]
