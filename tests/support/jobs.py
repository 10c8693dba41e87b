"""Inspection jobs only tests need: a slow one and one that kills its worker (never in production code)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from socialguard.inspect.findings import InspectionReport


@dataclass(frozen=True)
class SleepJob:
    seconds: float

    def run(self, scanner) -> InspectionReport:
        time.sleep(self.seconds)
        return InspectionReport()


@dataclass(frozen=True)
class CrashJob:
    def run(self, scanner) -> InspectionReport:
        os._exit(3)
