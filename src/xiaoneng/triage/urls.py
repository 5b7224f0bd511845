from django.urls import path

from xiaoneng.triage import views

app_name = "triage"

urlpatterns = [
    path("pool/", views.pool_cells, name="pool_cells"),
    path("cases/<int:pk>/", views.panel, name="panel"),
    path("cases/<int:pk>/merge/", views.merge, name="merge"),
]
