"""An SMS backend for the killed-worker test: the first call hangs (so the worker can be killed
mid-task), every call is counted in a file, and a delivery is recorded like the default one."""

from __future__ import annotations

import os
import time
from pathlib import Path


class SlowOnceSmsBackend:
    def send(self, *, phone: str, text: str) -> None:
        from xiaoneng.notify.models import SmsRecord

        folder = Path(os.environ["XIAONENG_TEST_SMS_DIR"])
        with (folder / "calls").open("a") as calls:
            calls.write(f"{os.getpid()}\n")
        marker = folder / "slowed"
        if not marker.exists():
            marker.touch()
            time.sleep(120)
        SmsRecord.objects.create(phone=phone, text=text)
