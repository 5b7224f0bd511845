"""The case pages. No namespace of their own, so their names and addresses stay those people
and other apps already use:

- ``office_urlpatterns``: the office's case pages (intake, pool, case page, queues), mounted
  by ``office/urls.py`` under ``/`` in the namespace ``office`` (``office:case_detail``, …);
- ``document_urlpatterns``: the case's document downloads, mounted by the project's
  ``urls.py`` with every other download under ``documents/`` in the namespace ``documents``
  (``documents:case_receipt``, …).
"""

from django.urls import path

from xiaoneng.cases.views import composer, documents, intake, page, pool, queues, replytemplates

office_urlpatterns = [
    path("intake/", intake.intake, name="intake"),
    path("intake/pool/", pool.intake_pool, name="intake_pool"),
    path("intake/duplicates/", intake.intake_duplicates, name="intake_duplicates"),
    path("cases/<int:pk>/", page.case_detail, name="case_detail"),
    path("cases/<int:pk>/act/<slug:action>/", page.case_act, name="case_act"),
    path("cases/<int:pk>/reveal/", page.case_reveal, name="case_reveal"),
    path("cases/<int:pk>/reply-preview/", composer.reply_preview_view, name="case_reply_preview"),
    path(
        "cases/<int:pk>/extension-preview/",
        composer.extension_preview_view,
        name="case_extension_preview",
    ),
    path("cases/<int:pk>/receipt/", page.case_receipt, name="case_receipt"),
    path("cases/<int:pk>/clocks/<int:clock_id>/", page.clock_explain, name="clock_explain"),
    path(
        "cases/<int:pk>/attachments/<int:attachment_id>/",
        page.attachment_download,
        name="attachment",
    ),
    path("queue/", queues.department_queue, name="queue"),
    path("reply-templates/", replytemplates.reply_templates, name="reply_templates"),
    path(
        "reply-templates/<int:pk>/",
        replytemplates.reply_template_edit,
        name="reply_template_edit",
    ),
    path(
        "reply-templates/<int:pk>/remove/",
        replytemplates.reply_template_remove,
        name="reply_template_remove",
    ),
    path("console/", queues.console, name="console"),
    path("console/bulk/", queues.console_bulk, name="console_bulk"),
]

document_urlpatterns = [
    path("case/<int:pk>/receipt.<slug:fmt>", documents.case_receipt, name="case_receipt"),
    path("signal/<int:pk>/reminder.<slug:fmt>", documents.signal_reminder, name="signal_reminder"),
    path(
        "signal/<int:pk>/rectification.<slug:fmt>",
        documents.signal_rectification,
        name="signal_rectification",
    ),
]
