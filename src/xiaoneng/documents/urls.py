"""The downloads of an application's documents. The project's ``urls.py`` mounts them with
``cases/urls_documents.py`` in the namespace ``documents``."""

from django.urls import path

from xiaoneng.documents import views

urlpatterns = [
    path("notice/<int:pk>.<slug:fmt>", views.notice, name="notice"),
    path("filing/<int:pk>/decision.<slug:fmt>", views.denial_decision, name="denial_decision"),
]
