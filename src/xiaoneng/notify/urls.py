from django.urls import path

from xiaoneng.notify import views

app_name = "notify"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/read/", views.inbox_mark_read, name="mark_read"),
    path("read-all/", views.inbox_mark_all_read, name="mark_all_read"),
    path("settings/", views.preferences, name="preferences"),
]
