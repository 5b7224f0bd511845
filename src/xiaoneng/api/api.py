"""The NinjaAPI of /api/v1/: authentication, error handlers, routers."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from ninja import NinjaAPI, Swagger
from ninja.openapi.schema import OpenAPISchema

from xiaoneng.api.auth import AUTH, CASE_AUTH, require_scope
from xiaoneng.api.endpoints_cases import ERRORS
from xiaoneng.api.endpoints_cases import router as cases_router
from xiaoneng.api.endpoints_catalog import router as catalog_router
from xiaoneng.api.endpoints_metrics import router as metrics_router
from xiaoneng.api.endpoints_other import router as other_router
from xiaoneng.api.errors import install_handlers
from xiaoneng.api.selectors import cases_for
from xiaoneng.triage.api import build_router as triage_router

DESCRIPTION = """
The Xiaoneng REST API. Integration clients send their key as `Authorization: Bearer xn_…` or
`X-API-Key: xn_…`; staff may use their signed-in session (with the `X-CSRFToken` header on
changes). Every error has the same body: `code`, `message` (in the request's language,
`Accept-Language: zh-hans` or `en`), `message_zh`, `message_en` and `fields`.
See docs/api.md for scopes, idempotent intake and pagination.
"""


class XiaonengAPI(NinjaAPI):
    """Builds its OpenAPI schema once per path prefix and language: the schema follows the
    code, which does not change while the process runs, and building it walks every route's
    models (about 100 ms a request to /api/v1/openapi.json otherwise)."""

    _schemas: dict[tuple[str | None, str | None], OpenAPISchema]

    def get_openapi_schema(self, *, path_prefix: str | None = None, **kwargs: Any) -> OpenAPISchema:
        cache = self.__dict__.setdefault("_schemas", {})
        key = (
            path_prefix
            if path_prefix is not None
            else self.get_root_path(kwargs.get("path_params") or {}),
            translation.get_language(),
        )
        if key not in cache:
            cache[key] = super().get_openapi_schema(path_prefix=key[0], **kwargs)
        return cache[key]


api = XiaonengAPI(
    title="Xiaoneng API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=AUTH,
    # The packaged Swagger UI (static/ninja/…), never a CDN: see apps.check_ninja_installed.
    docs=Swagger(settings={"persistAuthorization": False}),
)
install_handlers(api)
api.add_router("", cases_router, auth=CASE_AUTH)
api.add_router(
    "",
    triage_router(require_scope=require_scope, cases_for=cases_for, errors=ERRORS),
    auth=CASE_AUTH,
)
api.add_router("", other_router)
api.add_router("", metrics_router)
api.add_router("", catalog_router)
