"""The words of the result pages and exports, in Mongolian and English: the names of phases,
statuses, funding sources, levels and respondents, so that no key ever reaches a reader."""

from __future__ import annotations

from backend.scorecards.group_types import group_label

PHASES = {
    "mn": {
        "preparation": "Бэлтгэл",
        "input_tracking": "Орцын хяналт",
        "community_scoring": "Иргэдийн үнэлгээ",
        "self_assessment": "Үйлчилгээ үзүүлэгчийн өөрийн үнэлгээ",
        "interface_meeting": "Хамтарсан хэлэлцүүлэг",
        "action_plan": "Үйл ажиллагааны төлөвлөгөө",
        "follow_up": "Хэрэгжилтийн хяналт",
        "closed": "Хаагдсан",
    },
    "en": {
        "preparation": "Preparation",
        "input_tracking": "Input tracking",
        "community_scoring": "Community scoring",
        "self_assessment": "Provider self-assessment",
        "interface_meeting": "Interface meeting",
        "action_plan": "Action plan",
        "follow_up": "Follow-up",
        "closed": "Closed",
    },
}
STATUSES = {
    "mn": {
        "not_started": "эхлээгүй",
        "in_progress": "хийгдэж байна",
        "blocked": "саатсан",
        "done": "хийгдсэн",
        "dropped": "цуцалсан",
    },
    "en": {
        "not_started": "not started",
        "in_progress": "in progress",
        "blocked": "blocked",
        "done": "done",
        "dropped": "dropped",
    },
}
FUNDING = {
    "mn": {
        "facility_budget": "Байгууллагын төсөв",
        "soum_ldf": "Орон нутгийн хөгжлийн сан",
        "aimag_budget": "Аймгийн төсөв",
        "ministry": "Яам",
        "health_insurance": "Эрүүл мэндийн даатгалын сан",
        "community": "Иргэд, олон нийт",
        "other": "Бусад эх үүсвэр",
    },
    "en": {
        "facility_budget": "Facility budget",
        "soum_ldf": "Local Development Fund",
        "aimag_budget": "Aimag budget",
        "ministry": "Ministry",
        "health_insurance": "Health insurance fund",
        "community": "Community",
        "other": "Other source",
    },
}
APPROVALS = {
    "mn": {"pending": "батлагдаагүй", "approved": "батлагдсан", "returned": "буцаагдсан"},
    "en": {"pending": "awaiting approval", "approved": "approved", "returned": "returned"},
}
# the level of government responsible for an action
LEVELS = {
    "mn": {"facility": "Байгууллага", "soum": "Сум", "aimag": "Аймаг", "national": "Улс"},
    "en": {"facility": "Facility", "soum": "Soum", "aimag": "Aimag", "national": "National"},
}
AREA_LEVELS = {
    "mn": {
        "country": "улс",
        "aimag": "аймаг",
        "capital": "нийслэл",
        "district": "дүүрэг",
        "soum": "сум",
        "bag": "баг",
        "khoroo": "хороо",
        "facility": "байгууллага",
        "nation": "улс",
    },
    "en": {
        "country": "country",
        "aimag": "aimag",
        "capital": "capital",
        "district": "district",
        "soum": "soum",
        "bag": "bag",
        "khoroo": "khoroo",
        "facility": "facility",
        "nation": "nation",
    },
}
RESPONDENTS = {
    "mn": {"community": "Иргэд", "provider": "Үйлчилгээ үзүүлэгч", "monitor": "Хянагч"},
    "en": {"community": "Community", "provider": "Provider", "monitor": "Monitor"},
}
SCALES = {
    "mn": {
        "faces_1_5": "1–5 (царай: маш муу … маш сайн)",
        "points_1_10": "1–10 оноо",
        "percent_0_100": "0–100",
    },
    "en": {
        "faces_1_5": "1–5 (faces: very bad … very good)",
        "points_1_10": "1–10 points",
        "percent_0_100": "0–100",
    },
}
FAMILIES = {
    "mn": {
        "parent_engagement": "Эцэг эхийн оролцоо, сургууль",
        "medicine_availability": "Эмийн хүртээмж ба үнэ",
        "health_insurance": "Эрүүл мэндийн даатгалын хэрэглээ",
        "custom": "Бусад загвар",
    },
    "en": {
        "parent_engagement": "Parent engagement in schools",
        "medicine_availability": "Medicine availability and prices",
        "health_insurance": "Health insurance use",
        "custom": "Other templates",
    },
}
# how a figure's unit is named beside it
UNITS = {
    "mn": {
        "share": "тийм гэсэн хувь",
        "count": "тоо",
        "number": "хэмжээ",
        "mnt": "төгрөг",
        "choices": "сонголт",
        "days": "хоног",
    },
    "en": {
        "share": "percent answering yes",
        "count": "count",
        "number": "quantity",
        "mnt": "tögrög",
        "choices": "choices",
        "days": "days",
    },
}


def pick(language: str, mn: str | None, en: str | None) -> str:
    """A text in the reader's language; English falls back to Mongolian."""
    if language == "en" and en:
        return en
    return mn or en or ""


def group_name(key: str, language: str) -> str:
    """A focus group type by its name in the reader's language."""
    return str(getattr(group_label(key), language))


def scored_by(groups: int, people: int, language: str) -> str:
    """How many agreed scores a figure rests on, in words that cannot be read as a score."""
    if language == "mn":
        return f"{groups} бүлэг, {people} хүн"
    return f"{groups} group{'s' if groups != 1 else ''}, {people} people"


def checks(count: int, language: str) -> str:
    if language == "mn":
        return f"{count} шалгалт"
    return f"{count} check{'s' if count != 1 else ''}"
