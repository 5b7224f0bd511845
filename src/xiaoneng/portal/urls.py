from django.urls import path

from xiaoneng.portal import views, views_figures, views_guides

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("submit/receipt/", views.receipt, name="receipt"),
    path("submit/receipt.pdf", views.receipt_pdf_view, name="receipt_pdf"),
    path("track/", views.track, name="track"),
    path("track/case/", views.track_detail, name="track_detail"),
    path("track/rate/", views.rate, name="rate"),
    path("track/leave/", views.track_leave, name="track_leave"),
    path("results/", views.results, name="results"),
    path("figures/", views_figures.figures, name="figures"),
    path("figures.json", views_figures.figures_json, name="figures_json"),
    path("guides/", views_guides.guide_list, name="guide_list"),
    path("guides/<slug:code>/", views_guides.guide_detail, name="guide_detail"),
    path("guides/<slug:code>/checklist/", views_guides.guide_checklist, name="guide_checklist"),
    path("commitments/", views_guides.commitments, name="commitments"),
    path("commitments/<slug:unit>/", views_guides.unit_commitments, name="unit_commitments"),
]
