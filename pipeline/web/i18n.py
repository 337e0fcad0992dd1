"""The pages' language: Vietnamese by default (the people who use them read Vietnamese), English
on request (`?lang=en`, remembered in a cookie). Templates write their text in English inside
`_()`; this catalogue gives the Vietnamese. Relation and deadline-kind names, and recurrences
in words ("hằng năm", "ngày 15 hằng tháng"), are here too, so no page shows `FREQ=YEARLY`.
"""
from __future__ import annotations

from typing import Optional

from ..storage.browse import due_date

LANGUAGES = ("vi", "en")
DEFAULT = "vi"
COOKIE = "directives_lang"

VI = {
    # navigation and common words
    "Overview": "Tổng quan", "Search": "Tìm kiếm", "Deadlines": "Hạn công việc",
    "Tables & SQL": "Bảng dữ liệu & SQL", "Plans and directives": "Kế hoạch và chỉ thị",
    "Full text, a number such as 91-KL/TW, an issuer…":
        "Nội dung, số hiệu như 91-KL/TW, cơ quan ban hành…",
    "Document": "Văn bản", "Documents": "Văn bản", "Title": "Trích yếu", "Issuer": "Cơ quan ban hành",
    "Date": "Ngày", "Citations": "Trích dẫn", "Most cited": "Được trích dẫn nhiều nhất",
    "failed to read": "không đọc được", "sections": "mục", "citations of": "trích dẫn tới",
    "distinct documents": "văn bản khác nhau", "deadlines": "hạn công việc",
    "cited by": "được trích dẫn bởi", "documents": "văn bản", "mentions": "lần nhắc",
    "Everything is also browsable as tables, with facets, SQL and JSON:":
        "Toàn bộ dữ liệu cũng xem được dạng bảng, có bộ lọc, SQL và JSON:",
    "all tables": "tất cả các bảng", "Previous": "Trang trước", "Next": "Trang sau",
    "Page": "Trang", "of": "trên", "English": "English", "Tiếng Việt": "Tiếng Việt",
    "Not found": "Không tìm thấy", "Search documents": "Tìm văn bản",
    # document page
    "(no number)": "(chưa có số)", "Who cites and implements it": "Văn bản nào trích dẫn, thực hiện",
    "Lineage graph": "Sơ đồ nguồn gốc", "Row in the tables": "Dòng trong bảng dữ liệu",
    "Header": "Phần đầu văn bản", "Type": "Loại văn bản", "Number": "Số, ký hiệu",
    "Parent issuer": "Cơ quan chủ quản", "Place": "Địa danh", "Signed by": "Người ký",
    "File": "Tệp", "Format": "Định dạng", "Status": "Trạng thái", "Recipients": "Nơi nhận",
    "Outline": "Bố cục", "No sections found.": "Không tìm thấy mục nào.", "Cites": "Trích dẫn",
    "mentions without a resolvable number": "lần nhắc không xác định được số hiệu",
    "Cited by": "Được trích dẫn bởi", "Text": "Nội dung", "citation": "trích dẫn",
    "(hover: number, issuer, date, relation; click: open)":
        "(di chuột: số hiệu, cơ quan, ngày, quan hệ; bấm: mở)",
    "deadline": "hạn", "Due": "Hạn", "Kind": "Loại", "Task": "Nhiệm vụ",
    "Lead agency": "Cơ quan chủ trì", "Partners": "Cơ quan phối hợp", "Section": "Mục",
    "These deadlines as a table (CSV, JSON)": "Các hạn này dạng bảng (CSV, JSON)",
    "These deadlines in a calendar (.ics)": "Các hạn này vào lịch (.ics)",
    "No deadlines found in this document.": "Không tìm thấy hạn nào trong văn bản.",
    "Lineage": "Nguồn gốc", "Relations": "Quan hệ", "This document": "Văn bản này",
    "Other documents → this one": "Văn bản khác → văn bản này",
    # directive page
    "citations and implementation": "trích dẫn và thực hiện", "issuer unknown": "chưa rõ cơ quan",
    "in the database:": "có trong cơ sở dữ liệu:", "open the document": "mở văn bản",
    "not in the database (known from": "chưa có trong cơ sở dữ liệu (biết qua",
    "citations)": "trích dẫn)",
    "This number names several different documents (other issuer or period):":
        "Số hiệu này ứng với nhiều văn bản khác nhau (khác cơ quan hoặc thời kỳ):",
    "The lists below cover all of them.": "Các danh sách dưới đây gồm tất cả.",
    "cited without issuer or year: may be any of them":
        "được trích dẫn không rõ cơ quan hoặc năm: có thể là bất kỳ văn bản nào trong số này",
    "Relation": "Quan hệ", "Mentions": "Số lần nhắc",
    "stated in another document": "nêu trong văn bản khác",
    "No document in the database cites it.": "Chưa văn bản nào trong cơ sở dữ liệu trích dẫn.",
    "Implemented by": "Được thực hiện bởi", "transitively": "kể cả gián tiếp",
    "Implementer": "Văn bản thực hiện", "Steps": "Số bước", "Path": "Đường dẫn",
    "No implementing document found.": "Chưa tìm thấy văn bản thực hiện.",
    "Deadlines the implementing documents set": "Hạn do các văn bản thực hiện đặt ra",
    "In": "Trong", "with": "phối hợp", "Coverage of its recipients": "Nơi nhận đã thực hiện",
    "recipient bodies have an implementing document in the database;":
        "cơ quan nhận đã có văn bản thực hiện trong cơ sở dữ liệu;",
    "have none yet.": "chưa có.", "Recipient (as printed)": "Nơi nhận (như in)",
    "Body": "Cơ quan", "Implementing documents": "Văn bản thực hiện",
    "(for information)": "(để biết)", "not expected (for information)": "không cần (để biết)",
    "none found": "chưa thấy",
    "The bodies its implementing plans send themselves to, and their own plans:":
        "Các cơ quan mà văn bản thực hiện gửi tới để thực hiện, và văn bản của các cơ quan đó:",
    "Named by": "Nêu trong",
    "The implementing documents in the database, by issuing body:":
        "Các văn bản thực hiện có trong cơ sở dữ liệu, theo cơ quan ban hành:", "The document names no recipients.": "Văn bản không ghi nơi nhận.",
    "Unknown:": "Chưa rõ:",
    "not ingested: its recipients are unknown": "văn bản chưa được nạp nên chưa biết nơi nhận", "It cites": "Văn bản này trích dẫn",
    "Chains stated in the texts": "Chuỗi quan hệ nêu trong các văn bản", "in": "trong",
    "How it is cited": "Được trích dẫn thế nào", "Where": "Vị trí",
    "Deadlines of the implementing documents in a calendar (.ics)":
        "Hạn của các văn bản thực hiện vào lịch (.ics)",
    # search
    "Cited documents matching": "Văn bản được trích dẫn khớp với", "citing": "văn bản trích dẫn",
    "Facets": "Bộ lọc", "issuer": "cơ quan", "type": "loại", "year": "năm", "(none)": "(không có)",
    "match": "khớp với", "undated": "chưa rõ ngày", "No document matches.": "Không có văn bản nào khớp.",
    "Sections are also searchable as a table:": "Cũng có thể tìm theo mục dạng bảng:",
    "sections matching": "các mục khớp với",
    # deadlines
    "Deadlines by agency": "Hạn công việc theo cơ quan", "Agency": "Cơ quan",
    "lead or partner, any part of the name": "chủ trì hoặc phối hợp, một phần tên",
    "Due from": "Hạn từ ngày", "include past": "gồm cả đã qua",
    "include undated and recurring": "gồm cả chưa rõ ngày và định kỳ", "Show": "Xem",
    "shown of": "hiển thị trên", "due before": "hạn trước", "without a date": "chưa rõ ngày",
    "Download these as iCalendar (.ics)": "Tải về dạng lịch iCalendar (.ics)",
    "No deadline matches.": "Không có hạn nào khớp.", "Include the past ones": "Gồm cả các hạn đã qua",
    "(no lead agency named)": "(không ghi cơ quan chủ trì)", "next": "gần nhất",
    "Value": "Giá trị",
    # lineage
    "Lineage of": "Nguồn gốc của", "Levels up": "Số tầng lên", "Levels down": "Số tầng xuống",
    "also plain mentions": "cả các lần chỉ nhắc đến", "Redraw": "Vẽ lại",
    "Upward: what it implements or is based on, and what those implement. Downward: the "
    "documents that implement or cite it.":
        "Phía trên: văn bản mà nó thực hiện hoặc căn cứ, và các văn bản cấp trên nữa. Phía dưới: "
        "các văn bản thực hiện hoặc trích dẫn nó.",
    "The graph was cut at": "Sơ đồ bị cắt ở", "nodes.": "nút.",
    "The graph as a list": "Sơ đồ dạng danh sách", "links": "liên kết",
    "Drag to pan, scroll to zoom, click a node to open it.":
        "Kéo để di chuyển, cuộn để phóng to, bấm vào một nút để mở.",
    "this document": "văn bản này", "in the database": "có trong cơ sở dữ liệu",
    "cited only": "chỉ được trích dẫn", "Fit": "Vừa khung",
    "Open the full lineage view": "Mở sơ đồ nguồn gốc đầy đủ", "Loading the graph…": "Đang tải sơ đồ…",
    "The graph library did not load.": "Không tải được thư viện vẽ sơ đồ.",
    "The graph could not be drawn:": "Không vẽ được sơ đồ:",
    "Nothing to draw.": "Không có gì để vẽ.",
    "documents,": "văn bản,",
}

# relation → (Vietnamese, English): what a citing document does to the cited one
RELATIONS = {
    "implements": ("thực hiện", "implements"), "based_on": ("căn cứ", "based on"),
    "amends": ("sửa đổi, bổ sung", "amends"), "replaces": ("thay thế", "replaces"),
    "repeals": ("bãi bỏ", "repeals"), "guides": ("hướng dẫn", "guides"),
    "mentions": ("nhắc đến", "mentions"),
}
# the same relation seen from the cited document ("bị thay thế bởi …")
RELATIONS_PASSIVE = {
    "implements": ("được thực hiện bởi", "implemented by"),
    "based_on": ("là căn cứ của", "a basis of"),
    "amends": ("được sửa đổi, bổ sung bởi", "amended by"),
    "replaces": ("bị thay thế bởi", "replaced by"), "repeals": ("bị bãi bỏ bởi", "repealed by"),
    "guides": ("được hướng dẫn bởi", "guided by"), "mentions": ("được nhắc đến trong", "mentioned in"),
}
KINDS = {
    "deadline": ("hạn", "deadline"), "event": ("sự kiện", "event"), "start": ("bắt đầu", "start"),
    "target": ("mục tiêu", "target"), "recurring": ("định kỳ", "recurring"),
    "time_limit": ("thời hạn", "time limit"),
}
_FREQ = {"YEARLY": ("hằng năm", "every year"), "MONTHLY": ("hằng tháng", "every month"),
         "WEEKLY": ("hằng tuần", "every week"), "DAILY": ("hằng ngày", "every day")}
_WEEKDAYS = {"MO": ("thứ Hai", "Monday"), "TU": ("thứ Ba", "Tuesday"),
             "WE": ("thứ Tư", "Wednesday"), "TH": ("thứ Năm", "Thursday"),
             "FR": ("thứ Sáu", "Friday"), "SA": ("thứ Bảy", "Saturday"),
             "SU": ("Chủ nhật", "Sunday")}


def choose(request) -> str:
    """The language asked for (`?lang=`), else the one remembered, else Vietnamese."""
    asked = (request.args.get("lang") or "").strip().lower()
    if asked in LANGUAGES:
        return asked
    kept = (request.cookies.get(COOKIE) or "").strip().lower()
    return kept if kept in LANGUAGES else DEFAULT


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "vi" else pair[1]


class Translator:
    """The functions the templates call, for one language."""

    def __init__(self, lang: str):
        self.lang = lang if lang in LANGUAGES else DEFAULT

    def text(self, s: str) -> str:
        return VI.get(s, s) if self.lang == "vi" else s

    def relation(self, rel: Optional[str]) -> str:
        return _pick(RELATIONS[rel], self.lang) if rel in RELATIONS else (rel or "")

    def relation_passive(self, rel: Optional[str]) -> str:
        return _pick(RELATIONS_PASSIVE[rel], self.lang) if rel in RELATIONS_PASSIVE else (rel or "")

    def kind(self, kind: Optional[str]) -> str:
        return _pick(KINDS[kind], self.lang) if kind in KINDS else (kind or "")

    def recurrence(self, rrule: Optional[str]) -> Optional[str]:
        """An RRULE in words: 'FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15' → 'ngày 15 tháng 11 hằng
        năm'; None when it is not one."""
        if not rrule or "FREQ=" not in rrule:
            return None
        p = dict(x.split("=", 1) for x in rrule.split(";") if "=" in x)
        vi = self.lang == "vi"
        freq = p.get("FREQ", "")
        every = _pick(_FREQ[freq], self.lang) if freq in _FREQ else freq.lower()
        if p.get("INTERVAL") and p["INTERVAL"] != "1":
            n = p["INTERVAL"]
            unit = {"YEARLY": ("năm", "years"), "MONTHLY": ("tháng", "months"),
                    "WEEKLY": ("tuần", "weeks"), "DAILY": ("ngày", "days")}.get(freq, ("", ""))
            every = f"{n} {unit[0]} một lần" if vi else f"every {n} {unit[1]}"
        when = []
        if p.get("BYMONTHDAY"):
            when.append(f"ngày {p['BYMONTHDAY']}" if vi else f"on day {p['BYMONTHDAY']}")
        if p.get("BYMONTH"):
            when.append(f"tháng {p['BYMONTH']}" if vi else f"of month {p['BYMONTH']}")
        if p.get("BYDAY"):
            days = [d[-2:] for d in p["BYDAY"].split(",")]
            when.append(", ".join(_pick(_WEEKDAYS[d], self.lang) for d in days if d in _WEEKDAYS))
        return " ".join(when + [every]) if vi else " ".join([every] + when)

    def due(self, d: dict) -> str:
        """What the Due column shows: the day, else the recurrence in words, else the value,
        else 'unknown'."""
        day = d.get("due") or due_date(d)
        if day:
            return day
        words = self.recurrence(d.get("rrule") or d.get("value"))
        if words:
            return words
        if d.get("value"):
            return str(d["value"])
        return "không rõ" if self.lang == "vi" else "unknown"

    def context(self) -> dict:
        return {"lang": self.lang, "_": self.text, "rel": self.relation,
                "rel_passive": self.relation_passive, "kind_label": self.kind,
                "due_label": self.due, "other_lang": "en" if self.lang == "vi" else "vi"}
