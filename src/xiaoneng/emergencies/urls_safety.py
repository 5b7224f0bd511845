"""The routes of duty rosters, plans, drills and drill requirements (under /office/emergencies/)."""

from django.urls import path

from xiaoneng.emergencies import views_drills, views_rosters

urlpatterns = [
    path("roster/", views_rosters.roster_page, name="roster"),
    path("roster/fill/", views_rosters.roster_fill_page, name="roster_fill"),
    path("roster/shifts/<int:pk>/swap/", views_rosters.swap_new, name="swap_new"),
    path("roster/swaps/<int:pk>/decide/", views_rosters.swap_decide_view, name="swap_decide"),
    path("plans/", views_drills.plans_page, name="plans"),
    path("plans/new/", views_drills.plan_new, name="plan_new"),
    path("plans/<int:pk>/document/", views_drills.plan_document, name="plan_document"),
    path("drills/", views_drills.drills_page, name="drills"),
    path("drills/new/", views_drills.drill_new, name="drill_new"),
    path("drills/status/", views_drills.drill_status_page, name="drill_status"),
    path("drills/requirements/", views_drills.requirement_set_view, name="requirement_set"),
    path(
        "drills/requirements/<int:pk>/remove/",
        views_drills.requirement_remove_view,
        name="requirement_remove",
    ),
]
