"""Every office page reachable from the menu reads in the reader's language (issue 26, item 6).

One pass over the demo (the bureau with its showcase cases, orders, violations, campaigns,
targets, evaluation rounds, internal matters and incidents, without the six months of
history): each role's menu and inbox, then one page of each family of the pages those link to
(``/cases/12/`` and ``/cases/31/`` are one family), each family seen by the first role that
reaches it. Every page is read in English and in Chinese with the test client:

* English: no Chinese that nobody typed (``langscan.stray_chinese``): a data label (a unit,
  department, category or time-limit policy by its Chinese name), a catalog translation, or
  Chinese that no stored free text holds;
* Chinese: no English string of the catalogs and no raw code (``demo:overdue``, ``sign_for``,
  a dotted action code), once usernames, codes and file names are set aside
  (``langscan.raw_codes``).

Kept to one pass so that it stays fast (its CPU time is printed with ``-s``).
"""

from __future__ import annotations

import re
import time
from collections import defaultdict

import pytest
from django.conf import settings
from django.test import Client

from tests import langscan

pytestmark = pytest.mark.django_db

# The roles in the order they claim page families: the efficiency office sees most.
ROLES = [
    "xiaoneng",
    "leader",
    "head",
    "handler_a",
    "intake",
    "inspector",
    "school_head",
    "sysadmin",
    "secadmin",
    "auditor",
    # The emergency post's A holder: the incident alerts in the inbox.
    "safety_a",
]
# Pages every role reads, as each shows that person's own things.
PER_ROLE = {"/", "/inbox/"}
MAX_PAGES = 300
HREF = re.compile(r'href="(/[^"#]*)"')
# Downloads, sign-out, the audited reveal, the public site, the API and the admin are not
# office pages (or have tests of their own).
NOT_PAGES = re.compile(
    r"logout|signout|export|download|reveal|print|/file|/document|/pdf|/docx|\.xlsx|\.csv|"
    r"\.json|/admin/|/i18n/|/static/|/media/|/portal/|/api/|/accounts/",
    re.I,
)


def family(url: str) -> str:
    return re.sub(r"\d+", "N", url.split("?")[0])


@pytest.fixture
def demo_bureau(demo_org) -> None:
    """The demo as `xiaoneng demo` loads it, without the six months of history."""
    from xiaoneng.demo.features import demo_features_load
    from xiaoneng.demo.guides import demo_guides_load

    demo_guides_load()
    demo_features_load()


def test_every_office_page_reads_in_the_readers_language(demo_bureau, users) -> None:
    started = time.process_time()
    stored = langscan.stored_texts()
    problems: dict[tuple[str, str], set[str]] = defaultdict(set)
    seen: set[str] = set()
    pages = 0
    for username in ROLES:
        client = Client()
        client.force_login(users[username])
        queue = ["/", "/inbox/"]
        mine: set[str] = set()
        while queue and pages < MAX_PAGES:
            url = queue.pop(0)
            key = family(url)
            # Each role reads its own workbench, menu and inbox; other families once in all.
            if key in mine or (key in seen and url not in PER_ROLE):
                continue
            mine.add(key)
            seen.add(key)
            for language in ("en", "zh-hans"):
                client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
                response = client.get(url)
                pages += 1
                assert response.status_code < 500, f"{url} as {username}: {response.status_code}"
                if response.status_code != 200 or "html" not in response["Content-Type"]:
                    break
                html = response.content.decode()
                texts = langscan.page_texts(html, language)
                if language == "en":
                    for text in langscan.stray_chinese(texts, stored):
                        problems[("Chinese on an English page", text[:100])].add(key)
                    queue += [
                        link.replace("&amp;", "&")
                        for link in HREF.findall(html)
                        if not NOT_PAGES.search(link)
                    ]
                else:
                    for text in langscan.raw_codes(texts, stored):
                        problems[("English or a code on a Chinese page", text[:100])].add(key)
    spent = time.process_time() - started
    print(f"\n{pages} page loads, {len(seen)} page families, {spent:.1f} s CPU")
    assert pages > 150, "the scan reached too few pages to mean anything"
    assert not problems, "\n".join(
        f"{kind}: {text!r} on {sorted(where)[:3]}"
        for (kind, text), where in sorted(problems.items())
    )


def test_the_scan_finds_what_it_must(demo_org) -> None:
    """The finders flag labels, catalog words, codes and what the system wrote, and let typed
    text through."""
    from django.utils import timezone

    from xiaoneng.accountability.models import Violation
    from xiaoneng.cases.models import Category
    from xiaoneng.cases.services import case_register
    from xiaoneng.org.models import User

    case_register(
        by=User.objects.get(username="intake"),
        channel="hotline",
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        title="第一中学食堂饭菜价格过高",
        content="家长反映第一中学食堂饭菜价格过高，请核查。",
        requester_name="钱家长",
        requester_phone="13600004444",
    )
    # A sweeper's description, stored in the language of the moment, and an inspector's.
    for kind, text in (("late_sign_for", "超过时限签收。"), ("inspection", "暗访发现窗口无人。")):
        Violation.objects.create(
            kind=kind, source_key=f"scan:{kind}", description=text, created_at=timezone.now()
        )
    stored = langscan.stored_texts()
    english = [
        "第一中学",  # a unit's short name: a label
        "Dispatched to 基础教育科.",  # a department's name inside an English sentence
        "、招生入学",  # a category
        "待签收",  # a catalog translation
        "从未有人输入的话",  # Chinese that nobody typed
        "首问受理岗",  # a post's name: a label
        "Alert at 第一中学: 第一中学食堂饭菜价格过高",  # a label beside a typed title
        "超过时限签收。",  # written by the sweeper, not typed
        "第一中学食堂饭菜价格过高",  # typed: fine
        "XN20260101-00001 第一中学食堂饭菜价格过高",  # typed, with a number: fine
        "钱家长",  # a person's name: fine
        "暗访发现窗口无人。",  # an inspector's description: fine
        "English only",
    ]
    assert langscan.stray_chinese(english, stored) == english[:8]
    chinese = ["sign_for", "demo:overdue", "case.sign_for.done", "Sign out", "handler_a", "待签收"]
    assert langscan.raw_codes(chinese, stored) == chinese[:4]
    html = (
        '<p>示例</p><a lang="zh-Hans">简体中文</a><script>var x = "脚本";</script>'
        '<textarea>正在编辑</textarea><img alt="图片" src="x.png"><span title="提示">x</span>'
    )
    assert langscan.page_texts(html, "en") == ["示例", "图片", "提示", "x"]
