from django.urls import path

from xiaoneng.assessment import views_bulletins

app_name = "bulletins"

urlpatterns = [
    path("", views_bulletins.public_list, name="list"),
    path("<int:pk>.pdf", views_bulletins.public_file, name="file"),
]
