"""Static files served by WhiteNoise, with the files found once per process.

Outside production WhiteNoise finds the static files through the staticfiles finders when its
middleware is made: it walks every app's ``static`` folder and builds a response object for
each of the ~190 files (about 30 ms). A server makes its middleware once, but Django's test
client makes it again for every client, so the test suite paid for the walk thousands of
times. The files found are kept per process, keyed by every setting that shapes them, and a
new middleware takes them from there; a server behaves exactly as before.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware

_found: dict[tuple[Any, ...], dict[str, Any]] = {}


def _key(middleware: WhiteNoiseMiddleware) -> tuple[Any, ...]:
    names = sorted(
        name
        for name in dir(settings)
        if name.startswith(("WHITENOISE_", "STATIC")) or name in {"INSTALLED_APPS", "DEBUG"}
    )
    return (middleware.static_prefix, *(repr(getattr(settings, name)) for name in names))


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def add_files_from_finders(self) -> None:
        key = _key(self)
        found = _found.get(key)
        if found is None:
            before = dict(self.files)
            super().add_files_from_finders()
            found = {url: file for url, file in self.files.items() if before.get(url) is not file}
            _found[key] = found
        self.files.update(found)
