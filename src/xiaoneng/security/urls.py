from django.urls import path

from xiaoneng.security import views, views_signins

app_name = "security"

urlpatterns = [
    path("password/", views.password_change_view, name="password_change"),
    path("otp/verify/", views.otp_verify_view, name="otp_verify"),
    path("otp/enrol/", views.otp_enrol_view, name="otp_enrol"),
    path("sign-ins/", views_signins.signins, name="signins"),
    path("sign-ins/unlock/", views_signins.signin_unlock, name="signin_unlock"),
]
