from django.urls import path

from xiaoneng.evaluation.views import public

app_name = "evaluation_public"

urlpatterns = [
    path("", public.index, name="index"),
    path("i/<str:token>/", public.invitation, name="invitation"),
    path("thanks/", public.thanks, name="thanks"),
    path("units/<int:pk>/", public.unit, name="unit"),
    path("results/<int:pk>/", public.results, name="results"),
    path("cases/", public.typical_list, name="typical_list"),
    path("cases/<int:pk>/", public.typical, name="typical"),
]
