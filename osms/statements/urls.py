from django.urls import path

from . import progress, views

app_name = "statements"

urlpatterns = [
    path("", views.statement_list, name="list"),
    path("new/", views.start, name="start"),
    path("new/language/", views.language, name="language"),
    path("new/consent/", views.consent, name="consent"),
    path("new/check/", views.check, name="check"),
    path("verify/", views.verify, name="verify"),
    path("complaints/<str:number>/", views.complaint_detail, name="complaint"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/progress/", progress.statement_progress, name="progress"),
    path("<str:number>/confirm/", views.confirm, name="confirm"),
    path("<str:number>/confirm/resend/", views.resend_code, name="resend_code"),
    path("<str:number>/document.pdf", views.pdf, name="pdf"),
    path("<str:number>/complaint/", views.complaint_new, name="complaint_new"),
]
