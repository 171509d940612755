from django.urls import path, re_path

from . import views

app_name = "appeals"

NUMBER = r"(?P<number>\d{4}-\d{6,9})"

urlpatterns = [
    path("", views.appeal_list, name="list"),
    path("new/", views.appeal_new, name="new"),
    path("new/topic/", views.appeal_new_topic, name="new_topic"),
    path("new/region/", views.appeal_new_region, name="new_region"),
    path("new/organisation/", views.appeal_new_clinic, name="new_clinic"),
    path("new/question/", views.appeal_new_substance, name="new_substance"),
    path("new/documents/", views.appeal_new_documents, name="new_documents"),
    path("new/documents/<int:file_id>/remove/", views.appeal_new_document_remove, name="new_document_remove"),
    path("new/answer/", views.appeal_new_answer, name="new_answer"),
    path("new/check/", views.appeal_new_check, name="new_check"),
    path("check/", views.public_check, name="public_check"),
    path("documents/<int:file_id>/", views.appeal_file, name="file"),
    re_path(rf"^{NUMBER}/$", views.appeal_detail, name="detail"),
    re_path(rf"^{NUMBER}/sent/$", views.appeal_done, name="done"),
    re_path(rf"^{NUMBER}/accept/$", views.appeal_accept, name="accept"),
    re_path(rf"^{NUMBER}/disagree/$", views.appeal_reopen, name="reopen"),
]
