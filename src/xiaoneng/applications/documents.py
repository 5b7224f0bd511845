"""The documents of an application, built on the documents app's helpers: the one-time
notice (一次性告知书; 补正材料告知书（补充） for a later one), the refusal decisions
(不予受理决定书 / 不予许可决定书) and what the receipt of an application's case says
(``application_receipt``, registered with ``cases.documents.on_receipt`` when the app is
ready)."""

from __future__ import annotations

from django.utils import timezone

from xiaoneng.accountability.models import DenialFiling
from xiaoneng.applications.models import Application, MaterialCheck, OneTimeNotice
from xiaoneng.cases.documents import ReceiptParticulars, addressee, phones, reply_due
from xiaoneng.cases.models import Case
from xiaoneng.documents.content import Block, Kind, OfficialDocument, chinese_date

REVIEW_RIGHTS = (
    "如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，"
    "也可以自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。"
)


def _application(case: Case) -> Application | None:
    return Application.objects.select_related("service_item_version").filter(case=case).first()


def application_receipt(case: Case) -> ReceiptParticulars | None:
    """What the receipt of an application's case says: the materials received and where its
    acceptance stands, under the guide's name and phones; None for any other case."""
    application = _application(case)
    if application is None:
        return None
    lines: list[Block] = []
    received = application.material_checks.filter(
        status__in=[MaterialCheck.Status.PROVIDED, MaterialCheck.Status.SUPPLIED]
    ).select_related("material")
    names = [check.material.describe() for check in received]
    if names:
        lines.append("收到的申请材料如下：")
        lines.append(names)
    lines.append(_receipt_status(application, case))
    version = application.service_item_version
    return ReceiptParticulars(
        matter=version.name,
        lines=lines,
        issued_at=application.accepted_at or case.registered_at,
        version=version,
    )


def _receipt_status(application: Application, case: Case) -> str:
    version = application.service_item_version
    stage = application.stage
    if stage in {Application.Stage.ACCEPTED, Application.Stage.APPROVED, Application.Stage.DENIED}:
        return (
            f"经审查，申请材料齐全、符合法定形式，本机关决定予以受理。本事项法定办理时限为"
            f"{version.statutory_limit}个工作日，承诺办理时限为{version.committed_limit}个工作日，"
            f"将于{reply_due(case)}前作出决定（依法补正、延期的时间除外）。"
        )
    if stage == Application.Stage.AWAITING_SUPPLEMENT:
        return "经审查，申请材料不齐全，本机关已另行出具《一次性告知书》，请按告知内容补正。"
    if stage == Application.Stage.NOT_ACCEPTED:
        return "本机关已另行出具《不予受理决定书》。"
    return "本机关将在五个工作日内作出是否受理的决定。"


def notice_document(
    notice: OneTimeNotice, *, number: str, full_name: bool = False
) -> OfficialDocument:
    """一次性告知书: every missing material at once, with the item's basis, conditions, fees,
    time limit and the enquiry and supervision phones."""
    application = notice.application
    case, version = application.case, application.service_item_version
    restart = case.policy_version.after_supplement == "restart"
    body: list[Block] = [
        f"你于{chinese_date(case.registered_at)}提出的“{version.name}”申请（编号：{case.number}），"
        "经审查，申请材料不齐全。根据《中华人民共和国行政许可法》第三十二条的规定，"
        "现一次性告知你需要补正的全部材料如下："
    ]
    if notice.is_second:
        body[0] = (
            f"你于{chinese_date(case.registered_at)}提出的“{version.name}”申请（编号：{case.number}），"
            "经进一步审查，尚需补正下列材料："
        )
    body.append(list(notice.items))
    if notice.is_second:
        body.append(f"补充告知原因：{notice.reason}")
    body.append(
        f"请补齐上述材料后到{version.window_address or case.unit.address}提交"
        f"（{version.window_hours}）。"
        if version.window_hours
        else f"请补齐上述材料后到{version.window_address or case.unit.address}提交。"
    )
    body.append(
        "补正期间不计入办理时限；材料补齐后，办理时限"
        + ("自收到补正材料之日起重新计算。" if restart else "继续计算。")
    )
    body.append(f"办理依据：{version.legal_basis}")
    if version.conditions:
        body.append(f"申请条件：{version.conditions}")
    fees = version.fees or "不收费"
    body.append(
        f"收费标准：{fees}" + (f"（依据：{version.fee_basis}）" if version.fee_basis else "")
    )
    body.append(
        f"办理时限：法定{version.statutory_limit}个工作日，承诺{version.committed_limit}个工作日。"
    )
    return OfficialDocument(
        kind=Kind.ONE_TIME_NOTICE,
        title="补正材料告知书（补充）" if notice.is_second else "",
        number=number,
        addressee=addressee(case, full_name=full_name),
        body=body,
        issuer=case.unit.name,
        issued_on=timezone.localdate(notice.issued_at),
        footer=phones(case, version),
    )


def denial_decision_document(
    filing: DenialFiling, *, number: str, full_name: bool = False
) -> OfficialDocument:
    """不予受理决定书 / 不予许可决定书, from the filing that every refusal has."""
    case = filing.case
    application = _application(case)
    version = application.service_item_version if application else None
    matter = version.name if version else case.title
    not_accepted = filing.kind == DenialFiling.Kind.NOT_ACCEPTED
    decision = (
        "本机关经审查，决定不予受理。" if not_accepted else "本机关依法进行了审查，决定不予许可。"
    )
    body: list[Block] = [
        f"你于{chinese_date(case.registered_at)}提出的“{matter}”申请（编号：{case.number}），"
        + decision,
        f"理由：{filing.reason}",
        f"依据：{filing.basis}",
        REVIEW_RIGHTS,
    ]
    decided = application.decided_at if application and application.decided_at else filing.filed_at
    return OfficialDocument(
        kind=Kind.NOT_ACCEPTED if not_accepted else Kind.NOT_APPROVED,
        number=number,
        addressee=addressee(case, full_name=full_name),
        body=body,
        issuer=case.unit.name,
        issued_on=timezone.localdate(decided),
        footer=phones(case, version),
    )
