"""Static files: found once per process by the WhiteNoise middleware (web/static.py)."""

from __future__ import annotations

from django.test import Client, override_settings

from xiaoneng.web.static import StaticFilesMiddleware


def _middleware() -> StaticFilesMiddleware:
    return StaticFilesMiddleware(lambda request: None)


def test_a_second_middleware_takes_the_files_the_first_found() -> None:
    first, second = _middleware(), _middleware()
    assert "/static/web/forms.js" in first.files
    assert second.files["/static/web/forms.js"] is first.files["/static/web/forms.js"]


def test_changed_settings_find_the_files_again() -> None:
    first = _middleware()
    with override_settings(WHITENOISE_MAX_AGE=12345):
        other = _middleware()
    assert other.files["/static/web/forms.js"] is not first.files["/static/web/forms.js"]
    headers = dict(other.files["/static/web/forms.js"].get_response("GET", {}).headers)
    assert "max-age=12345" in headers["Cache-Control"]


def test_each_test_client_serves_the_static_files() -> None:
    for _ in range(2):
        response = Client().get("/static/web/forms.js")
        assert response.status_code == 200
        assert b"".join(response.streaming_content)
