from django.urls import path

from xiaoneng.targets.views import board, pages

app_name = "targets"

urlpatterns = [
    path("", pages.target_list, name="list"),
    path("new/", pages.target_new, name="target_new"),
    path("dashboard/", board.dashboard, name="dashboard"),
    path("export.xlsx", board.export, name="export"),
    path("import/", board.import_page, name="import"),
    path("<int:pk>/", pages.target_detail, name="target"),
    path("<int:pk>/tasks/new/", pages.task_new, name="task_new"),
    path("tasks/<int:pk>/", pages.task_detail, name="task"),
    path("tasks/<int:pk>/milestones/new/", pages.milestone_new, name="milestone_new"),
    path("tasks/<int:pk>/report/", pages.report_new, name="report_new"),
    path("tasks/<int:pk>/supervise/", pages.task_supervise, name="task_supervise"),
    path("reports/<int:pk>/decide/", pages.report_decide, name="report_decide"),
    path("reports/<int:pk>/evidence/", pages.report_evidence, name="report_evidence"),
]
