from django.urls import path

from xiaoneng.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("submit/receipt/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("track/case/", views.track_detail, name="track_detail"),
    path("track/rate/", views.rate, name="rate"),
    path("track/leave/", views.track_leave, name="track_leave"),
    path("results/", views.results, name="results"),
    path("figures/", views.figures, name="figures"),
]
