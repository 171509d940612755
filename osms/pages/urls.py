from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("information/", views.information_index, name="index"),
    path("information/search/", views.information_search, name="search"),
    path("information/<slug:slug>/", views.information_page, name="page"),
]
