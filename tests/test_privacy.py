from xiaoneng.privacy import (
    PHONE_ENTRY,
    mask_contacts,
    mask_email,
    mask_id_number,
    mask_name,
    mask_phone,
    redact,
)


def test_mask_phone() -> None:
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("138-1234-1234") == "138****1234"
    assert mask_phone("12") == "12"
    assert mask_phone("") == ""


def test_mask_name() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("李") == "李*"
    assert mask_name(" ") == ""


def test_mask_id_and_email() -> None:
    assert mask_id_number("110101199001011234") == "1101**********1234"
    assert mask_email("parent@example.cn") == "p***@example.cn"


def test_mask_contacts_in_error_texts_and_log_lines() -> None:
    text = "refused chen.jing@bureau.example and +86 139 1234 5678"
    assert mask_contacts(text) == "refused c***@bureau.example and 861****5678"
    assert mask_contacts(text, standalone=True) == mask_contacts(text)
    # Any run of 7 in an error text; in a log line only 8 or more standing alone.
    assert mask_contacts("code 1234567") == "code 123****4567"
    assert mask_contacts("code 1234567", standalone=True) == "code 1234567"
    assert mask_contacts("id x12345678", standalone=True) == "id x12345678"
    assert mask_contacts("id x12345678") == "id x123****5678"
    assert mask_contacts("case 42 took 3 days") == "case 42 took 3 days"


def test_phone_entry_is_a_whole_value() -> None:
    assert PHONE_ENTRY.match("+86 139-1234-5678")
    assert not PHONE_ENTRY.match("call 13912345678")
    assert not PHONE_ENTRY.match("12345")


def test_redact_removes_every_pattern() -> None:
    text = "身份证110101199003071234，电话0571-87654321，邮箱 a.b@example.com，编号12345678"
    assert redact(text) == "身份证***，电话***，邮箱 ***，编号***"
