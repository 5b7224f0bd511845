"""What a process imports when the application starts: the libraries only some requests need
(document layout, spreadsheets, Chinese word segmentation, the classifier's numerics) are
imported on first use, so each command, web worker and task worker starts without them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ON_FIRST_USE = ("docx", "jieba", "numpy", "openpyxl", "reportlab", "scipy", "sklearn")

PROBE = f"""
import sys
import django
django.setup()
import xiaoneng.urls  # every view, the API and the admin, as a web worker loads them
print(",".join(name for name in {ON_FIRST_USE!r} if name in sys.modules))
"""


def test_starting_the_application_imports_none_of_the_heavy_libraries(tmp_path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "xiaoneng.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "XIAONENG_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
