"""The CPU of bulk intake in process: POST /api/v1/cases:batch through Django's test client.

    python bench/intake_batch.py                10 batches of 500
    python bench/intake_batch.py --batches 4
    python bench/intake_batch.py --quick         4 batches of 500 (make bench)

A fresh database (PostgreSQL when DATABASE_URL is set, else a temporary SQLite file) with the
demo organisation; an API client of a hotline centre posts ``--batches`` batches of
``--size`` cases (the texts vary: complaints, inquiries, urgent words, repeated phones) and
this process's CPU (``time.process_time``: the test client, the view, the services and the
triage reading after the commit; PostgreSQL's own time not included) is printed per case, with
the statements per batch and PostgreSQL's backend CPU when it can be read. The first batch warms
the process (the day-one triage model, jieba's dictionary) and is not counted.
Goal (issue #25 item 3): >= 3 000 cases/s, i.e. <= 0.33 ms of CPU a case.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _db import BenchDatabase, backend_cpu, machine

GOAL_RATE = 3000

TEXTS = [
    "家长反映学校违规收取资料费{n}元，要求退还。",
    "孩子在学校食堂吃饭后腹泻，怀疑饭菜变质，请核实处理。",
    "老师周末在家有偿补课，每次收费{n}元，希望查处。",
    "学校门口交通拥堵，放学时车辆乱停，存在安全隐患。",
    "咨询随迁子女入学需要哪些材料，居住证是否必须。",
    "校车超载严重，司机开车打电话，请尽快处理！",
    "学生在校被同学欺凌勒索要钱，班主任不管。",
    "学校围墙出现裂缝，有倒塌危险。",
    "申请助学金需要什么条件，什么时候可以申请。",
    "第{n}中学晚自习拖到十点，学生睡眠不足。",
]
KINDS = ["complaint", "complaint", "complaint", "inquiry", "inquiry", "suggestion", "help"]
CATEGORIES = ["fees", "enrolment", "safety", "food", "tutoring", "other"]


def batch_body(rng: random.Random, batch: int, size: int) -> str:
    items = []
    for n in range(size):
        items.append(
            {
                "kind": rng.choice(KINDS),
                "category": rng.choice(CATEGORIES),
                "content": rng.choice(TEXTS).format(n=rng.randrange(1, 40))
                + f"（批量基准 {batch}-{n}）",
                "requester_phone": f"137{rng.randrange(20_000):08d}",
                "requester_name": rng.choice("张王李赵刘陈") + rng.choice("伟芳娜敏静强"),
                "external_number": f"batch-{batch}-{n}",
            }
        )
    return json.dumps({"items": items})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int)
    parser.add_argument("--quick", action="store_true", help="4 batches instead of 10")
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args(argv)
    args.batches = args.batches or (4 if args.quick else 10)
    print(machine())
    with BenchDatabase("xiaoneng_bench_intake_batch", keep=args.keep) as db:
        db.setup_django()
        print(f"database: {db.engine}")
        from django.core.signals import request_finished, request_started
        from django.db import close_old_connections, connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from xiaoneng.api.services import apiclient_create, apikey_issue
        from xiaoneng.cases.models import Case

        api = apiclient_create(
            name="bench-hotline", scopes=["cases:create", "catalog:read"], roles=["intake"], by=None
        )
        key = apikey_issue(client=api, by=None).plaintext
        client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_HOST="localhost")
        # Keep the connection across requests, as a server's persistent connection does.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        rng = random.Random(25)
        bodies = [batch_body(rng, batch, args.size) for batch in range(args.batches + 1)]
        cpu_total = backend_total = 0.0
        statements = 0
        per_batch = []
        for index, body in enumerate(bodies):
            database = backend_cpu()
            cpu = time.process_time()
            with CaptureQueriesContext(connection) as queries:
                response = client.post("/api/v1/cases:batch", body, content_type="application/json")
            cpu = time.process_time() - cpu
            after = backend_cpu()
            if response.status_code != 201:
                print(f"FAIL: {response.status_code} {response.content[:300]!r}")
                return 1
            if index == 0:
                print(f"warm-up batch: {cpu * 1000 / args.size:.2f} ms CPU a case (not counted)")
                continue
            per_batch.append(cpu * 1000 / args.size)
            print(f"  batch {index}: {per_batch[-1]:.3f} ms CPU a case", flush=True)
            cpu_total += cpu
            statements += len(queries.captured_queries)
            if database is not None and after is not None:
                backend_total += after - database
        cases = args.batches * args.size
        per_case = cpu_total * 1000 / cases
        rate = cases / cpu_total
        print(
            f"batch in process: {args.batches} x {args.size} cases, "
            f"{statements / args.batches:.0f} statements a batch; "
            f"{per_case:.3f} ms CPU a case ({rate:,.0f} cases/s of one core; per batch "
            f"{min(per_batch):.3f}-{max(per_batch):.3f} ms) "
            f"(goal >= {GOAL_RATE:,}: {'met' if rate >= GOAL_RATE else 'NOT met'})"
        )
        if backend_total:
            print(
                f"PostgreSQL's backend: {backend_total * 1000 / cases:.3f} ms CPU a case "
                f"(clock ticks of 10 ms)"
            )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        stored = Case.objects.filter(external_number__startswith="batch-").count()
        expected = (args.batches + 1) * args.size
        print(
            f"peak RSS {peak:.0f} MB; cases stored {stored:,} == {expected:,}: {stored == expected}"
        )
        print(machine())
        return 0 if stored == expected else 1


if __name__ == "__main__":
    sys.exit(main())
