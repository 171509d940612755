from django.urls import path

from . import views

app_name = "temporary_status"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/documents/", views.documents, name="documents"),
    path("<int:pk>/documents/<int:slot>/", views.documents, name="document"),
    path("<int:pk>/documents/<int:slot>/remove/", views.document_remove, name="document_remove"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/confirm/resend/", views.code_resend, name="code_resend"),
    path("<int:pk>/sent/", views.sent, name="sent"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("files/<int:document_id>/", views.document_file, name="document_file"),
]
