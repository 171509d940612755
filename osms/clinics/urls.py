from django.urls import path

from . import views

app_name = "clinics"

urlpatterns = [
    path("", views.my_attachment, name="my_attachment"),
    path("apply/", views.apply_start, name="apply"),
    path("apply/region/", views.apply_region, name="apply_region"),
    path("apply/clinic/", views.apply_clinic, name="apply_clinic"),
    path("apply/reason/", views.apply_reason, name="apply_reason"),
    path("apply/address/", views.apply_address, name="apply_address"),
    path("apply/phone/", views.apply_phone, name="apply_phone"),
    path("apply/check/", views.apply_check, name="apply_check"),
    path("apply/confirm/", views.apply_confirm, name="apply_confirm"),
    path("apply/confirm/resend/", views.apply_resend, name="apply_resend"),
    path("applications/<str:number>/", views.application_detail, name="application"),
    path("applications/<str:number>/sent/", views.application_sent, name="application_sent"),
    path("applications/<str:number>/withdraw/", views.application_withdraw, name="application_withdraw"),
]
