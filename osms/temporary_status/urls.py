from django.urls import path  # noqa: F401

app_name = "temporary_status"

urlpatterns: list = []
