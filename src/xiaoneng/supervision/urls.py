from django.urls import path

from xiaoneng.supervision.views import callbacks, inspections, orders

app_name = "supervision"

urlpatterns = [
    path("", orders.order_list, name="order_list"),
    path("new/", orders.order_new, name="order_new"),
    path("<int:pk>/", orders.order_detail, name="order_detail"),
    path("<int:pk>/feedback/", orders.order_feedback, name="order_feedback"),
    path("<int:pk>/decide/", orders.order_decide, name="order_decide"),
    path("<int:pk>/remind/", orders.order_remind, name="order_remind"),
    path("<int:pk>/order.<slug:fmt>", orders.order_document, name="order_document"),
    path(
        "<int:pk>/reminders/<int:reminder_id>/notice.<slug:fmt>",
        orders.reminder_document,
        name="reminder_document",
    ),
    path("<int:pk>/feedback/<int:feedback_id>/file/", orders.feedback_file, name="feedback_file"),
    path("report/", orders.closure_report_page, name="report"),
    path("report/export.xlsx", orders.closure_report_export, name="report_export"),
    path("callbacks/", callbacks.callback_list, name="callback_list"),
    path("callbacks/policies/", callbacks.callback_policy_page, name="callback_policies"),
    path("callbacks/<int:pk>/", callbacks.callback_page, name="callback_page"),
    path("callbacks/<int:pk>/reveal/", callbacks.callback_reveal, name="callback_reveal"),
    path("inspections/", inspections.inspection_list, name="inspection_list"),
    path("inspections/new/", inspections.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/findings/", inspections.finding_new, name="finding_new"),
    path("inspections/<int:pk>/evidence/", inspections.evidence_new, name="evidence_new"),
    path(
        "inspections/<int:pk>/findings/<int:finding_id>/violation/",
        inspections.finding_violation,
        name="finding_violation",
    ),
    path(
        "inspections/<int:pk>/evidence/<int:evidence_id>/",
        inspections.evidence_download,
        name="evidence_download",
    ),
]
