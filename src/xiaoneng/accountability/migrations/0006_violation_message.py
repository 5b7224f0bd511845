"""Violation descriptions the system writes are kept as the catalog's message and its
parameters, rendered in each reader's language (accountability/descriptions.py).

The rows written before stored the text in the language active when the sweeper or the case
service ran. Those whose description is one of the known machine texts, in Chinese or in
English, get its message and parameters; any other description (what a person typed, or a
text this list does not know) stays as it is and is shown as stored.
"""

import re

from django.db import migrations, models

# The machine texts as of this migration: message id (the English text) -> Chinese rendering.
MESSAGES = {
    "Signed for after the deadline.": "超过时限签收。",
    "Not signed for by the deadline.": "未在时限内签收。",
    "Return rejected: the case was within the department's remit.": (
        "退回申请被驳回：该事项属本科室职责范围。"
    ),
    "Unsatisfied rating found to be the unit's fault; case reopened.": (
        "群众不满意且经核实责任在单位，工单重办。"
    ),
    "Red card: the time limit and the reminder's limit both passed.": (
        "红牌：办理时限和催办时限均已届满。"
    ),
    "The promised time passed without a filing that the application cannot be finished in "
    "time.": "承诺时限已过，但未报备该申请无法按时办结。",
    "Second notice asking for materials not in the one-time notice: %(names)s": (
        "二次告知，要求提交一次性告知书未列明的材料：%(names)s"
    ),
    "Internal matter %(number)s signed for after the deadline.": "内部事项%(number)s超时签收。",
    "Internal matter %(number)s not signed for by the deadline.": (
        "内部事项%(number)s未在时限内签收。"
    ),
    "Re-route request refused: internal matter %(number)s was within the department's "
    "remit.": "改办申请不予同意：内部事项%(number)s属该科室职责范围（推诿扯皮）。",
    "Red card: internal matter %(number)s missed its limit and the grace period.": (
        "红牌：内部事项%(number)s超过时限和催办期限。"
    ),
    "%(report)s on incident “%(title)s” not sent by %(due)s (calendar hours).": (
        "事件“%(title)s”的%(report)s未在%(due)s前报送（按自然小时计）。"
    ),
    "Report on incident “%(title)s” to %(to)s not made by %(due)s (calendar hours).": (
        "“%(title)s”事件未在%(due)s前报告%(to)s（按自然小时计）。"
    ),
}
# Parameters that were a catalog label (a report's kind, an outside authority), by their
# renderings in either language -> the label's message id.
LABELS = {
    "初报": "Initial report",
    "Initial report": "Initial report",
    "续报": "Progress report",
    "Progress report": "Progress report",
    "终报": "Final report",
    "Final report": "Final report",
    "市政府总值班室": "The city's duty office (市政府总值班室)",
    "The city's duty office": "The city's duty office (市政府总值班室)",
    "The city's duty office (市政府总值班室)": "The city's duty office (市政府总值班室)",
    "卫生健康部门": "The health authority (卫生健康部门)",
    "The health authority": "The health authority (卫生健康部门)",
    "The health authority (卫生健康部门)": "The health authority (卫生健康部门)",
}
LABEL_PARAMS = {"report", "to"}
LIST_PARAMS = {"names"}  # joined with "、" whatever the language
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# Kinds whose description a person types.
TYPED_KINDS = ("inspection", "conduct")


def _pattern(text):
    parts, last = [], 0
    for match in PLACEHOLDER.finditer(text):
        parts.append(re.escape(text[last : match.start()]))
        parts.append(f"(?P<{match.group(1)}>.+?)")
        last = match.end()
    parts.append(re.escape(text[last:]))
    return re.compile("^" + "".join(parts) + "$", re.S)


PATTERNS = [
    (_pattern(text), message)
    for message, chinese in MESSAGES.items()
    for text in (chinese, message)
]


def _params(found):
    params = {}
    for name, value in found.items():
        if name in LABEL_PARAMS:
            if value not in LABELS:
                return None  # not the label it should be: leave the row as it is
            params[name] = {"label": LABELS[value]}
        elif name in LIST_PARAMS:
            params[name] = value.split("、")
        else:
            params[name] = value
    return params


def _message(description):
    text = description.strip()
    for regex, message in PATTERNS:
        match = regex.match(text)
        if match is not None:
            params = _params(match.groupdict())
            if params is not None:
                return message, params
    return None


def forwards(apps, schema_editor):
    violation_model = apps.get_model("accountability", "Violation")
    rows = violation_model.objects.filter(message="").exclude(kind__in=TYPED_KINDS)
    for violation in rows.only("pk", "description").iterator():
        found = _message(violation.description)
        if found is not None:
            violation_model.objects.filter(pk=violation.pk).update(
                message=found[0], message_params=found[1]
            )


class Migration(migrations.Migration):
    dependencies = [("accountability", "0005_complainant_encrypted")]

    operations = [
        migrations.AddField(
            model_name="violation",
            name="message",
            field=models.CharField(blank=True, max_length=200, verbose_name="message"),
        ),
        migrations.AddField(
            model_name="violation",
            name="message_params",
            field=models.JSONField(blank=True, default=dict, verbose_name="message parameters"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
