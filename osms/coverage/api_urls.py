from django.urls import path

from . import api

app_name = "coverage_api"

urlpatterns = [
    path("status", api.status, name="status"),
    path("status/<str:iin>", api.status_by_path_gone, name="status_by_path_gone"),
]
