from django.urls import path

from . import views

app_name = "coverage"

urlpatterns = [
    path("status/", views.status_check, name="status_check"),
    path("status/mine/", views.my_status, name="my_status"),
    path("calculator/", views.contribution_calculator, name="calculator"),
]
