from django.urls import path

from xiaoneng.internal.views import matter, pages

app_name = "internal"

urlpatterns = [
    path("", pages.matter_list_page, name="list"),
    path("new/", pages.matter_register, name="register"),
    path("ask/", pages.matter_ask, name="ask"),
    path("limits/", pages.policies, name="policies"),
    path("<int:pk>/", pages.matter_detail, name="detail"),
    path("<int:pk>/attachment/", pages.attachment, name="attachment"),
    path("<int:pk>/act/<slug:action>/", matter.matter_act, name="act"),
    path("<int:pk>/<slug:which>.<str:fmt>", pages.document, name="document"),
]
