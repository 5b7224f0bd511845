"""The user guide's screenshots by name (tests/browser/test_guide_screenshots.py takes them,
tests/web/test_guide_images.py checks that docs/user-guide.md shows each one): kept apart so
that the fast test reads the list without the browser test's set-up."""

from __future__ import annotations

# name (the file is docs/images/<name>.jpg): what the shot shows.
GUIDE_SHOTS: dict[str, str] = {
    "intake-register": "the first-contact officer's registration form (首问登记)",
    "intake-errors": "the registration form sent with problems: the error summary",
    "intake-pool": "the intake pool with its acceptance deadlines (待受理)",
    "workbench-handler": "a handler's workbench, most urgent first",
    "case-reply-composer": "the case page with the reply composer open",
    "workbench-dept-head": "a department head's workbench",
    "console": "the efficiency office's console",
    "assessment-dashboard": "the assessment dashboard with its charts",
    "cockpit": "the leader's cockpit",
    "portal-submit": "the public submission form, filled in",
    "portal-receipt": "the receipt with the promised reply date",
    "portal-track": "the tracking page with the progress line",
    "portal-rated": "the tracking page after the rating",
    "workbench-handler-390": "a handler's workbench on a phone",
    "menu-390": "the efficiency office's menu open on a phone",
    "portal-track-390": "the tracking page on a phone",
    "workbench-handler-en": "a handler's workbench in English",
    "case-reply-composer-en": "the case page and reply composer in English",
    "portal-track-en": "the tracking page in English",
}
