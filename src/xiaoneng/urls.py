from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from xiaoneng.applications import urls as application_urls
from xiaoneng.cases import urls as case_urls
from xiaoneng.catalog import urls as catalog_urls
from xiaoneng.emergencies import urls_documents as emergency_document_urls

# The admin's header, tab title and index read the product's name in the reader's language.
admin.site.site_header = _("Xiaoneng administrative-efficiency supervision platform")
admin.site.site_title = _("Xiaoneng efficiency supervision")
admin.site.index_title = _("Administration")

# Every document download in one namespace (``documents:…``), whichever app owns the document.
DOCUMENT_DOWNLOADS = (
    [
        *case_urls.document_urlpatterns,
        *application_urls.document_urlpatterns,
        *emergency_document_urls.urlpatterns,
    ],
    "documents",
)

urlpatterns = [
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("inbox/", include("xiaoneng.notify.urls")),
    path("security/", include("xiaoneng.security.urls")),
    path("api/v1/", include("xiaoneng.api.urls")),
    # The application pages keep their names in the catalog namespace.
    path(
        "office/catalog/",
        include((catalog_urls.urlpatterns + application_urls.office_urlpatterns, "catalog")),
    ),
    path("documents/", include(DOCUMENT_DOWNLOADS)),
    path("office/supervision/", include("xiaoneng.supervision.urls")),
    path("office/emergencies/", include("xiaoneng.emergencies.urls")),
    path("sms/", include("xiaoneng.emergencies.urls_sms")),
    path("office/accountability/", include("xiaoneng.accountability.urls")),
    path("office/assessment/", include("xiaoneng.assessment.urls")),
    path("office/evaluation/", include("xiaoneng.evaluation.urls")),
    path("office/targets/", include("xiaoneng.targets.urls")),
    path("office/internal/", include("xiaoneng.internal.urls")),
    path("office/campaigns/", include("xiaoneng.campaigns.urls")),
    path("office/webhooks/", include("xiaoneng.webhooks.urls")),
    path("office/referrals/", include("xiaoneng.referrals.urls")),
    path("office/triage/", include("xiaoneng.triage.urls")),
    path("portal/bulletins/", include("xiaoneng.assessment.public_urls")),
    path("portal/evaluation/", include("xiaoneng.evaluation.public_urls")),
    path("portal/", include("xiaoneng.portal.urls")),
    path("open311/v2/", include("xiaoneng.portal.open311_urls")),
    path("", include("xiaoneng.ops.urls")),
    path("", include("xiaoneng.office.urls")),
]
