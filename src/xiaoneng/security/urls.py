from django.urls import path

from xiaoneng.security import views

app_name = "security"

urlpatterns = [
    path("password/", views.password_change_view, name="password_change"),
    path("otp/verify/", views.otp_verify_view, name="otp_verify"),
    path("otp/enrol/", views.otp_enrol_view, name="otp_enrol"),
]
