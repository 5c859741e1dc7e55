"""A round's answers and records in words a coordinator reads: an indicator by its label in the
reader's language, a score by its point's label, a group by its name, a status by its word;
never a key or a field path. Used by the review and conflict screens."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.policy import Principal
from backend.console.words import Words
from backend.cycles import raised
from backend.cycles import service as cycles
from backend.cycles.schemas import RaisedIndicatorOut
from backend.cycles.sync import as_indicator
from backend.reports import wording
from backend.scorecards import service as templates
from backend.scorecards.document import (
    Count,
    Entitlement,
    FreeText,
    Indicator,
    LocalText,
    MedicineCheck,
    Money,
    MultiChoice,
    Number,
    Scale,
    SingleChoice,
    YesNo,
    template_scale,
)
from backend.scorecards.group_types import group_label
from backend.scorecards.models import TemplateVersion

WORDS = {
    "yes": ("Тийм", "Yes"),
    "no": ("Үгүй", "No"),
    "no_answer": ("Хариулаагүй", "No answer"),
    "people": ("хүн", "people"),
    "reason": ("Шалтгаан", "Reason"),
    "suggestion": ("Санал", "Suggestion"),
    "entitled": ("байх ёстой", "entitled"),
    "actual": ("бодитоор", "actually there"),
    "in_stock": ("байгаа", "in stock"),
    "out_of_stock": ("байхгүй", "out of stock"),
    "expired": ("хугацаа дууссан", "expired"),
    "unknown_indicator": ("Загварт байхгүй үзүүлэлт", "An indicator not in the template"),
    "deleted": ("Устгасан", "Deleted"),
    "kept_with": ("Устгаагүй, дараах өөрчлөлттэй", "Kept, with these changes"),
    "empty": ("Хоосон", "Empty"),
    "proposed": ("санал болгосон", "proposed"),
    "selected": ("сонгосон", "selected"),
    "dropped": ("хассан", "dropped"),
    "merged": ("нэгтгэсэн", "merged"),
    "planned": ("төлөвлөсөн", "planned"),
    "held": ("болсон", "held"),
    "closed": ("хаасан", "closed"),
    "better_higher": ("Их нь сайн", "Higher is better"),
    "better_lower": ("Бага нь сайн", "Lower is better"),
    "better_none": ("Чиглэлгүй (тоо)", "No direction (a count)"),
    "better_unknown": ("Тодорхойгүй", "Not set"),
    "kind_scale": ("Оноо", "Score"),
    "kind_yes_no": ("Тийм/үгүй", "Yes or no"),
    "kind_count": ("Тоо", "Count"),
    "another_indicator": ("Өөр үзүүлэлт", "Another indicator"),
}

# a record's fields by name, as a reader names them
FIELDS = {
    "field_group": ("Бүлэг", "Group"),
    "field_collected_at": ("Бөглөсөн цаг", "Collected at"),
    "field_held_on": ("Болсон өдөр", "Held on"),
    "field_venue": ("Хаана", "Venue"),
    "field_attendance": ("Оролцогчид", "Attendance"),
    "field_priorities": ("Тэргүүлэх асуудлууд", "Priorities"),
    "field_notes": ("Тэмдэглэл", "Notes"),
    "field_status": ("Төлөв", "Status"),
    "field_issue": ("Асуудал", "Issue"),
    "field_action": ("Арга хэмжээ", "Action"),
    "field_responsible": ("Хариуцагч", "Responsible"),
    "field_resources": ("Нөөц", "Resources"),
    "field_due_on": ("Дуусах хугацаа", "Due on"),
    "field_cost_mnt": ("Өртөг (₮)", "Cost (MNT)"),
    "field_funding_source": ("Санхүүжилтийн эх үүсвэр", "Funding source"),
    "field_level": ("Түвшин", "Level"),
    "field_review_on": ("Дахин хянах өдөр", "Review on"),
    "field_indicator_keys": ("Холбогдох үзүүлэлтүүд", "Indicators"),
    "field_meeting_id": ("Хэлэлцүүлэг", "Meeting"),
    "field_label": ("Асуудлын нэр", "The issue's words"),
    "field_raised_by": ("Дэвшүүлсэн бүлгүүд", "Raised by"),
    "field_merged_into": ("Нэгтгэсэн үзүүлэлт", "Merged into"),
    "field_tag": ("Шошго", "Tag"),
    "field_better": ("Аль нь сайн", "Which way is better"),
    "field_kind": ("Хариултын төрөл", "Kind of answer"),
    "field_deleted": ("Устгах эсэх", "Whether it is deleted"),
    "field_other": ("Бусад", "Other"),
}
ALL_WORDS = {**WORDS, **FIELDS}


def local_text(text: LocalText | Mapping[str, Any], language: str) -> str:
    """A text in the reader's language (a missing English one reads the Mongolian)."""
    if isinstance(text, LocalText):
        return text.mn if language == "mn" else text.en
    return str((text.get(language) or text.get("mn") or "") if language == "en" else text["mn"])


def moments(timezone: str) -> Callable[[datetime | None], str]:
    """A moment as the programme's local date and time (SCORECARD_TIMEZONE), as people there
    read a clock."""
    zone = ZoneInfo(timezone)

    def shown(moment: datetime | None) -> str:
        return "" if moment is None else moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")

    return shown


def group_name(group_type: str | None, language: str) -> str:
    return local_text(group_label(group_type or ""), language) if group_type else ""


def key_words(key: str) -> str:
    """A key with no label anywhere, as words ("amoxicillin_tab" reads "Amoxicillin tab")."""
    return key.replace("_", " ").strip().capitalize() or key


@dataclass(frozen=True, slots=True)
class RoundWords:
    """How one reader reads the keys of one round: its template's and raised indicators."""

    language: str
    words: Words
    indicators: Mapping[str, Indicator]
    raised_ids: Mapping[str, str] = field(default_factory=dict)  # raised indicator id -> key

    def t(self, key: str) -> str:
        return self.words(key)

    def indicator(self, key: str) -> str:
        found = self.indicators.get(key)
        return local_text(found.label, self.language) if found else self.t("unknown_indicator")

    def indicator_by_id(self, record_id: Any) -> str:
        key = self.raised_ids.get(str(record_id))
        return self.indicator(key) if key else self.t("another_indicator")

    def value(self, key: str, answer: Any) -> str:
        """An answer's value in words (an answer object, or a bare value)."""
        raw = answer.get("value") if isinstance(answer, Mapping) else answer
        found = self.indicators.get(key)
        if raw is None:
            return self.t("no_answer")
        if found is None:
            return self.plain(raw)
        kind = found.answer
        if isinstance(kind, Scale):
            point = next((p for p in kind.points if p.value == raw), None)
            shown = f"{raw} ({kind.min}–{kind.max})"
            return f"{shown} — {local_text(point.label, self.language)}" if point else shown
        if isinstance(kind, YesNo):
            return self.t("yes") if raw is True else self.t("no") if raw is False else str(raw)
        if isinstance(kind, Number):
            return f"{self.plain(raw)} {local_text(kind.unit, self.language)}"
        if isinstance(kind, Money):
            return f"{self.plain(raw)} ₮"
        if isinstance(kind, SingleChoice | MultiChoice):
            labels = {o.key: local_text(o.label, self.language) for o in kind.options}
            chosen = raw if isinstance(raw, list) else [raw]
            return ", ".join(labels.get(str(c), key_words(str(c))) for c in chosen)
        if isinstance(kind, Entitlement) and isinstance(raw, Mapping):
            unit = local_text(kind.unit, self.language)
            return (
                f"{self.t('entitled')} {self.plain(raw.get('entitled'))}, "
                f"{self.t('actual')} {self.plain(raw.get('actual'))} {unit}"
            )
        if isinstance(kind, MedicineCheck) and isinstance(raw, Mapping):
            return "; ".join(
                f"{key_words(medicine)}: {self._medicine(found)}"
                for medicine, found in sorted(raw.items())
            )
        if isinstance(kind, Count | FreeText):
            return self.plain(raw)
        return self.plain(raw)

    def _medicine(self, found: Any) -> str:
        if not isinstance(found, Mapping):
            return self.plain(found)
        words = [self.t("in_stock") if found.get("in_stock") else self.t("out_of_stock")]
        if found.get("expired"):
            words.append(self.t("expired"))
        return ", ".join(words)

    def plain(self, raw: Any) -> str:
        if raw is None or raw == "" or raw == [] or raw == {}:
            return self.t("empty")
        if raw is True:
            return self.t("yes")
        if raw is False:
            return self.t("no")
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, int):
            return f"{raw:,}".replace(",", " ")
        if isinstance(raw, datetime):
            return raw.strftime("%Y-%m-%d %H:%M")
        if isinstance(raw, date):
            return raw.isoformat()
        if isinstance(raw, list):
            return ", ".join(self.plain(item) for item in raw)
        if isinstance(raw, Mapping):
            return "; ".join(f"{key_words(str(k))}: {self.plain(v)}" for k, v in raw.items())
        return str(raw)

    def group(self, group: Any) -> str:
        """A focus group: its name and how many took part."""
        if not isinstance(group, Mapping):
            return self.t("empty")
        counts = group.get("participants") or {}
        total = sum(v for v in counts.values() if isinstance(v, int))
        name = group_name(group.get("type"), self.language)
        return f"{name}, {total} {self.t('people')}" if counts else name

    def field_name(self, entity_field: str) -> str:
        """A conflict's field as its reader names it: an answer by its indicator's label."""
        name, _, key = entity_field.partition(".")
        if name == "answers" and key:
            return self.indicator(key)
        if name == "_deleted":
            return self.t("field_deleted")
        return self.t(f"field_{name}") if f"field_{name}" in FIELDS else self.t("field_other")

    def field_value(self, entity_field: str, value: Any) -> str:
        """A record's field's value in words."""
        name, _, key = entity_field.partition(".")
        if name == "answers" and key:
            return self.answer_with_words(key, value)
        if name == "group":
            return self.group(value)
        if name == "status":
            return _status(value, self.language, self.t)
        if name == "funding_source":
            return wording.FUNDING[self.language].get(str(value), self.plain(value))
        if name == "level":
            return wording.LEVELS[self.language].get(str(value), self.plain(value))
        if name == "better":
            return self.t(f"better_{value or 'unknown'}")
        if name == "kind" and value in ("scale", "yes_no", "count"):
            return self.t(f"kind_{value}")
        if name in ("priorities", "indicator_keys") and isinstance(value, list):
            return ", ".join(self.indicator(str(k)) for k in value) or self.t("empty")
        if name == "raised_by" and isinstance(value, list):
            return ", ".join(group_name(str(g), self.language) for g in value) or self.t("empty")
        if name == "merged_into":
            return self.indicator_by_id(value) if value else self.t("empty")
        if name == "label" and isinstance(value, Mapping):
            return " / ".join(str(v) for v in (value.get("mn"), value.get("en")) if v)
        if name == "attendance" and isinstance(value, Mapping):
            return self.plain({k: v for k, v in value.items()})
        return self.plain(value)

    def answer_with_words(self, key: str, answer: Any) -> str:
        """An answer's value, and its reason and suggestion where it has them."""
        shown = self.value(key, answer)
        if isinstance(answer, Mapping):
            for part in ("reason", "suggestion"):
                text = answer.get(part)
                if isinstance(text, str) and text.strip():
                    shown += f" · {self.t(part)}: {text.strip()}"
        return shown

    def record(self, values: Any) -> str:
        """A whole record's fields (a delete conflict's side), field by field."""
        if not isinstance(values, Mapping):
            return self.plain(values)
        return "; ".join(
            f"{self.field_name(name)}: {self.field_value(name, value)}"
            for name, value in values.items()
            if name not in ("cycle_id", "facility_id", "template_version_id", "respondent")
            and not name.startswith("_")
        )


def _status(value: Any, language: str, t: Any) -> str:
    text = str(value)
    if text in wording.STATUSES[language]:
        return wording.STATUSES[language][text]
    if text in ("proposed", "selected", "dropped", "merged", "planned", "held", "closed"):
        return str(t(text))
    return key_words(text)


async def round_words(
    db: AsyncSession, *, principal: Principal, cycle_id: uuid.UUID, words: Words
) -> RoundWords:
    """The round's indicators (its template's and its raised ones) as the reader reads them."""
    cycle = await cycles.get(db, principal=principal, cycle_id=cycle_id)
    version = await db.get_one(TemplateVersion, cycle.template_version_id)
    document = templates.document_of(version)
    standing = await raised.consolidated(db, principal=principal, cycle_id=cycle_id)
    return of_round(document.indicators, standing, template_scale(document), words)


def of_round(
    template: Iterable[Indicator],
    standing: Iterable[RaisedIndicatorOut],
    scale: Scale,
    words: Words,
) -> RoundWords:
    indicators = {indicator.key: indicator for indicator in template}
    raised_ids = {}
    for out in standing:
        raised_ids[str(out.id)] = out.key
        indicators.setdefault(
            out.key,
            as_indicator(
                {
                    "key": out.key,
                    "kind": out.kind,
                    "origin": out.origin,
                    "label": {"mn": out.label_mn, "en": out.label_en},
                    "better": out.better,
                },
                scale,
            ),
        )
    return RoundWords(words.language, words, indicators, raised_ids)
