"""SMS backends for the tests: one that fails while told to, one that is slow."""

from __future__ import annotations

import time

from xiaoneng.notify.sms import RecordingSmsBackend


class FlakySmsBackend(RecordingSmsBackend):
    """Fails (naming the phone, as real gateways do) while ``broken`` is set; else records."""

    broken = True

    def send(self, *, phone: str, text: str) -> None:
        if type(self).broken:
            raise ConnectionError(f"gateway refused {phone}: service unavailable")
        super().send(phone=phone, text=text)


class SlowSmsBackend(RecordingSmsBackend):
    """Records after a short pause, so two relays running at once overlap."""

    def send(self, *, phone: str, text: str) -> None:
        time.sleep(0.005)
        super().send(phone=phone, text=text)


class CapturingSmsBackend(RecordingSmsBackend):
    """The gateway as a test sees it: keeps what it was handed (in memory only) and records."""

    handed: list[tuple[str, str]] = []

    def send(self, *, phone: str, text: str) -> None:
        type(self).handed.append((phone, str.__str__(text)))
        super().send(phone=phone, text=text)
