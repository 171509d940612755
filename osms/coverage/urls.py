from django.urls import path

from . import payment_views, views

app_name = "coverage"

urlpatterns = [
    path("status/", views.status_check, name="status_check"),
    path("status/mine/", views.my_status, name="my_status"),
    path("status/mine/how-to-pay/", payment_views.how_to_pay, name="how_to_pay"),
    path("status/mine/how-to-pay.pdf", payment_views.how_to_pay_pdf, name="how_to_pay_pdf"),
    path("calculator/", views.contribution_calculator, name="calculator"),
]
