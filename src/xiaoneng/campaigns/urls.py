from django.urls import path

from xiaoneng.campaigns.views import campaigns, study, submissions

app_name = "campaigns"

urlpatterns = [
    path("", campaigns.campaign_list, name="campaign_list"),
    path("new/", campaigns.campaign_new, name="campaign_new"),
    path("party-groups/", campaigns.party_groups, name="party_groups"),
    path("mine/", submissions.my_page, name="my_submissions"),
    path("<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("<int:pk>/open/", campaigns.campaign_open, name="campaign_open"),
    path("<int:pk>/close/", campaigns.campaign_close, name="campaign_close"),
    path("<int:pk>/completion.xlsx", campaigns.campaign_export, name="campaign_export"),
    path("<int:pk>/summary.<slug:fmt>", campaigns.campaign_summary, name="campaign_summary"),
    path("<int:pk>/submit/", submissions.submission_new, name="submission_new"),
    path("<int:pk>/review/", submissions.review_list, name="review_list"),
    path("submissions/<int:pk>/", submissions.submission_detail, name="submission_detail"),
    path(
        "submissions/<int:pk>/rework/", submissions.submission_resubmit, name="submission_resubmit"
    ),
    path("submissions/<int:pk>/review/", submissions.submission_review, name="submission_review"),
    path("submissions/<int:pk>/select/", submissions.submission_select, name="submission_select"),
    path("submissions/<int:pk>/file/", submissions.submission_file, name="submission_file"),
    path("study/", study.session_list, name="session_list"),
    path("study/new/", study.session_new, name="session_new"),
    path("study/<int:pk>/", study.session_detail, name="session_detail"),
    path("study/hours/", study.hours_page, name="hours"),
    path("study/hours/export.xlsx", study.hours_export, name="hours_export"),
    path("study/me/", study.my_record, name="my_record"),
    path("study/people/<int:staff_id>/", study.person_record_page, name="person_record"),
]
