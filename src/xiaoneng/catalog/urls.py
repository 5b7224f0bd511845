from django.urls import path

from xiaoneng.catalog import views_office as views

app_name = "catalog"

urlpatterns = [
    path("guides/", views.guide_list, name="guide_list"),
    path("guides/new/", views.guide_new, name="guide_new"),
    path("guides/<int:pk>/edit/", views.guide_edit, name="guide_edit"),
    path("guides/versions/<int:pk>/", views.guide_preview, name="guide_preview"),
    path("guides/versions/<int:pk>/publish/", views.guide_publish_view, name="guide_publish"),
    path("commitments/", views.commitments_list, name="commitments_list"),
    path("commitments/unit/<int:unit_pk>/", views.commitments_edit, name="commitments_edit"),
    path(
        "commitments/<int:pk>/publish/",
        views.commitments_publish_view,
        name="commitments_publish",
    ),
]
