from django.urls import path

from . import api

app_name = "coverage_api"

urlpatterns = [
    path("status/<str:iin>", api.status, name="status"),
]
