from xiaoneng.privacy import mask_email, mask_id_number, mask_name, mask_phone


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
