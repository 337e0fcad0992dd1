"""Site chrome: a portal's own notice in a saved page cites nothing and sets no deadline, while
the same document cited by the page's own text still counts; the notice stays in the text."""
from __future__ import annotations

from pipeline.chrome import chrome_spans, inside
from pipeline.extract import extract_string

PAGE = """# Dữ liệu cá nhân nhạy cảm là gì?

*Dữ liệu cá nhân nhạy cảm theo Nghị định 13/2023/NĐ-CP là gì? (Hình từ Internet)*

Căn cứ tại khoản 4 Điều 2 Nghị định 13/2023/NĐ-CP thì dữ liệu cá nhân nhạy cảm gồm ...

**THÔNG BÁO **
**về Lưu trữ, Sử dụng Thông tin Khách hàng**
**Kính gửi:** Quý Thành viên,
Nghị định 13/2023/NĐ-CP về Bảo vệ dữ liệu cá nhân (hiệu lực từ ngày 01/07/2023) yêu cầu xác nhận sự đồng ý của thành viên.
Thực hiện Nghị định 13/2023/NĐ-CP, chúng tôi cập nhật Quy chế và Thỏa thuận Bảo về Dữ liệu cá nhân bên dưới.
Trân trọng cảm ơn Quý Thành viên.
Tôi đã đọc và đồng ý Quy chế và Thỏa thuận Bảo vệ Dữ liệu cá nhân
Tiếp tục sử dụng
Cảm ơn đã dùng ThuVienPhapLuat.vn
- Bạn vừa bị Đăng xuất khỏi Tài khoản .
"""


def test_the_portal_notice_cites_nothing():
    rec = extract_string(PAGE, "page.md")
    s = rec.text.text
    cited = [c.key for c in rec.citations]
    assert cited == ["13/2023/NĐ-CP"], cited  # the page's own "Căn cứ tại khoản 4 ...", once
    assert s[rec.citations[0].start - 30:rec.citations[0].start].strip().endswith("Điều 2")
    assert "Thực hiện Nghị định 13/2023/NĐ-CP, chúng tôi cập nhật" in s  # kept in the stored text
    assert rec.deadlines == []


def test_spans_cover_the_notice_lines_only():
    rec = extract_string(PAGE, "page.md")
    s = rec.text.text
    spans = chrome_spans(rec.text)
    assert spans and inside(spans, s.index("Kính gửi")) and inside(spans, s.index("Bạn vừa bị"))
    assert not inside(spans, s.index("Căn cứ tại khoản 4"))
    assert inside(spans, s.index("(Hình từ Internet)"))  # a caption repeating the title
    assert chrome_spans("Không có gì ở đây.") == []
