from django.urls import path

from xiaoneng.cases import urls as case_urls
from xiaoneng.office.views import cockpit, lists, org, shell

app_name = "office"

urlpatterns = [
    path("", shell.home, name="home"),
    path("cockpit/", cockpit.cockpit, name="cockpit"),
    path("login/", shell.LoginView.as_view(), name="login"),
    path("logout/", shell.LogoutView.as_view(), name="logout"),
    path("audit/", shell.audit_log, name="audit_log"),
    path("audit/verify/", shell.audit_verify, name="audit_verify"),
    # The case pages belong to the cases app; they keep their names in this namespace.
    *case_urls.office_urlpatterns,
    path("cases/", lists.case_list, name="case_list"),
    path("cases/export.xlsx", lists.case_export, name="case_export"),
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
