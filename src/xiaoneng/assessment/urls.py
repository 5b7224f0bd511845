from django.urls import path

from xiaoneng.assessment import views, views_bulletins

app_name = "assessment"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.dashboard_export, name="dashboard_export"),
    path("scorecard/", views.scorecard, name="scorecard"),
    path("hotspots/", views.hotspots, name="hotspots"),
    path("weights/", views.weights, name="weights"),
    path("bulletins/", views_bulletins.bulletin_list, name="bulletin_list"),
    path("bulletins/new/", views_bulletins.bulletin_create, name="bulletin_create"),
    path("bulletins/<int:pk>/", views_bulletins.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/approve/", views_bulletins.bulletin_approve, name="bulletin_approve"),
    path("bulletins/<int:pk>/publish/", views_bulletins.bulletin_publish, name="bulletin_publish"),
    path("bulletins/<int:pk>/refresh/", views_bulletins.bulletin_refresh, name="bulletin_refresh"),
    path("bulletins/<int:pk>/file.<str:fmt>", views_bulletins.bulletin_file, name="bulletin_file"),
]
