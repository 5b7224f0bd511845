"""The Celery application: configured from Django settings (``CELERY_*``), tasks in ops.tasks
(and triage.tasks).

Beat schedules every registered periodic job (``xiaoneng.periodic.register``) every
``XIAONENG_PERIODIC_INTERVAL`` seconds; the jobs are safe to run on several workers at once.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")

app = Celery("xiaoneng")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.include = ["xiaoneng.ops.tasks", "xiaoneng.triage.tasks"]


def broker_configured() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "CELERY_BROKER_URL", ""))


def beat_schedule() -> dict[str, dict]:
    """One entry per registered periodic job; a tick that no worker took in time expires."""
    from django.conf import settings

    from xiaoneng.ops.jobs import job_names

    interval = float(settings.XIAONENG_PERIODIC_INTERVAL)
    return {
        f"periodic:{name}": {
            "task": "xiaoneng.ops.run_periodic_job",
            "schedule": interval,
            "args": (name,),
            # A backlog after an outage would only repeat the same work: drop stale ticks.
            "options": {"expires": interval},
        }
        for name in job_names()
    }


@app.on_after_finalize.connect
def _schedule(sender: Celery, **kwargs: object) -> None:
    import django

    django.setup()
    sender.conf.beat_schedule = beat_schedule()
