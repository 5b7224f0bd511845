import cProfile
import io
import os
import pstats
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_profile(hotline, new_case):
    hotline.post("/cases", {**new_case, "external_number": "warm-up"})
    with CaptureQueriesContext(connection) as queries:
        r = hotline.post("/cases", {**new_case, "external_number": "q1"})
    assert r.status_code == 201
    for q in queries:
        print("Q:", q["sql"][:200])
    print("NQ", len(queries))
    n = 30
    t = time.process_time()
    for i in range(n):
        hotline.post("/cases", {**new_case, "external_number": f"t{i}"})
    print("CPU ms per create", (time.process_time() - t) / n * 1000)
    if os.environ.get("PROF"):
        pr = cProfile.Profile()
        pr.enable()
        for i in range(n):
            hotline.post("/cases", {**new_case, "external_number": f"p{i}"})
        pr.disable()
        s = io.StringIO()
        pstats.Stats(pr, stream=s).sort_stats(os.environ.get("PROF")).print_stats(60)
        print(s.getvalue())
