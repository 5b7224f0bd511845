from django.urls import path

from xiaoneng.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoint_list, name="endpoint_list"),
    path("<int:pk>/deactivate/", views.endpoint_deactivate, name="endpoint_deactivate"),
    path("<int:pk>/rotate/", views.endpoint_rotate, name="endpoint_rotate"),
    path("deliveries/", views.delivery_log, name="delivery_log"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery_retry"),
]
