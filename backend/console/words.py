"""The console's own words in both languages; each screen module adds its words beside it.

A word is looked up by key in the reader's language; a key missing from a table is a defect a
test finds (tests/integration/console/test_console_words.py), never shown to a reader."""

from __future__ import annotations

from collections.abc import Mapping

Table = Mapping[str, tuple[str, str]]  # key → (Mongolian, English)

WORDS: Table = {
    "product": ("Иргэдийн оноон карт", "Community scorecards"),
    "console": ("Удирдлагын хэсэг", "Console"),
    "skip": ("Үндсэн агуулга руу шилжих", "Skip to the content"),
    "nav": ("Үндсэн цэс", "Main menu"),
    "dashboard": ("Хянах самбар", "Dashboard"),
    "setup": ("Тохиргоо", "Set-up"),
    "review": ("Хяналт ба нийтлэл", "Review and publication"),
    "conflicts": ("Зөрчил", "Conflicts"),
    "paper": ("Цаасан карт", "Paper scorecards"),
    "results": ("Үр дүн", "Results"),
    "plans": ("Үйл ажиллагааны төлөвлөгөө", "Action plans"),
    "signed_in_as": ("Нэвтэрсэн", "Signed in as"),
    "sign_in": ("Нэвтрэх", "Sign in"),
    "sign_out": ("Гарах", "Sign out"),
    "username": ("Хэрэглэгчийн нэр", "Username"),
    "password": ("Нууц үг", "Password"),
    "wrong_password": (
        "Хэрэглэгчийн нэр эсвэл нууц үг буруу байна.",
        "The username or the password is wrong.",
    ),
    "throttled": (
        "Олон удаа буруу оролдсон тул түр хүлээгээд дахин оролдоно уу.",
        "Too many failed sign-ins; wait a while before trying again.",
    ),
    "language": ("Хэл", "Language"),
    "language_mn": ("Монгол", "Mongolian"),
    "language_en": ("Англи", "English"),
    "change_language": ("Хэл солих", "Change language"),
    "save": ("Хадгалах", "Save"),
    "search": ("Хайх", "Search"),
    "filter": ("Шүүх", "Filter"),
    "all": ("Бүгд", "All"),
    "none_yet": ("Одоогоор байхгүй.", "Nothing yet."),
    "back": ("Буцах", "Back"),
    "error_title": ("Алдаа", "Something went wrong"),
    "not_allowed": ("Таны эрх хүрэхгүй байна.", "Your account may not open this screen."),
    "not_found": ("Ийм зүйл олдсонгүй.", "There is no such thing here."),
    "refused": ("Хүсэлтийг хүлээж авсангүй.", "The request was refused."),
    "form_expired": (
        "Энэ маягтын хугацаа дууссан байна: хуудсыг дахин нээгээд дахин илгээнэ үү.",
        "This form has expired: open the page again and send it once more.",
    ),
    "error_code": ("Алдааны код", "Error code"),
    "to_home": ("Нүүр хуудас руу", "To the start page"),
}


class Words:
    """The words of one screen in one language: `t("key")` in a template."""

    def __init__(self, language: str, *tables: Table) -> None:
        self.language = language
        self._index = 0 if language == "mn" else 1
        self._tables = (*tables, WORDS)

    def __call__(self, key: str) -> str:
        for table in self._tables:
            if key in table:
                return table[key][self._index]
        raise KeyError(f"no console word {key!r}")
