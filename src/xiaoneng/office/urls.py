from django.urls import path

from xiaoneng.office.views import cases, intake, lists, org, pool, queues, shell

app_name = "office"

urlpatterns = [
    path("", shell.home, name="home"),
    path("login/", shell.LoginView.as_view(), name="login"),
    path("logout/", shell.LogoutView.as_view(), name="logout"),
    path("audit/", shell.audit_log, name="audit_log"),
    path("audit/verify/", shell.audit_verify, name="audit_verify"),
    path("intake/", intake.intake, name="intake"),
    path("intake/pool/", pool.intake_pool, name="intake_pool"),
    path("intake/duplicates/", intake.intake_duplicates, name="intake_duplicates"),
    path("cases/", lists.case_list, name="case_list"),
    path("cases/export.xlsx", lists.case_export, name="case_export"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/act/<slug:action>/", cases.case_act, name="case_act"),
    path("cases/<int:pk>/reveal/", cases.case_reveal, name="case_reveal"),
    path("cases/<int:pk>/receipt/", cases.case_receipt, name="case_receipt"),
    path("cases/<int:pk>/clocks/<int:clock_id>/", cases.clock_explain, name="clock_explain"),
    path(
        "cases/<int:pk>/attachments/<int:attachment_id>/",
        cases.attachment_download,
        name="attachment",
    ),
    path("queue/", queues.department_queue, name="queue"),
    path("console/", queues.console, name="console"),
    path("console/bulk/", queues.console_bulk, name="console_bulk"),
    path("org/", org.org_units, name="org_units"),
    path("org/departments/<int:pk>/", org.org_department, name="org_department"),
    path("org/staff/", org.org_staff, name="org_staff"),
    path("org/absences/", org.org_absences, name="org_absences"),
    path("org/absences/<int:pk>/cancel/", org.org_absence_cancel, name="org_absence_cancel"),
    path("org/calendar/", org.org_calendar, name="org_calendar"),
    path("org/calendar/<int:pk>/delete/", org.org_calendar_delete, name="org_calendar_delete"),
    path("org/policies/", org.org_policies, name="org_policies"),
    path("org/policies/<int:pk>/", org.org_policy, name="org_policy"),
]
