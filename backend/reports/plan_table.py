"""The round's action plan as a table, as the scorecard page shows it: issue and action, who is
responsible, the due date, status, cost and its funding source, money spent, the approval and
the latest progress report. Pure."""

from __future__ import annotations

from backend.action_plans.schemas import ActionItemOut
from backend.reports import wording
from backend.reports.export_words import WORDS
from backend.reports.page_words import WORDS as PAGE_WORDS
from backend.reports.schemas import ScorecardOut
from backend.reports.tables import Cell, Column, Figure, Table, named, place, place_columns


def plan(card: ScorecardOut, items: list[ActionItemOut], language: str) -> Table:
    words, page = WORDS[language], PAGE_WORDS[language]
    columns = [
        *place_columns(language),
        Column(words["item_key"], key=True),
        Column(words["issue"]),
        Column(words["action"]),
        Column(words["indicators"]),
        Column(page["responsible"]),
        Column(words["level"]),
        Column(page["due"]),
        Column(page["overdue"].capitalize()),
        Column(words["status"]),
        Column(words["cost"]),
        Column(words["funding"]),
        Column(words["spent"]),
        Column(page["approval"]),
        Column(words["latest_on"]),
        Column(words["latest_note"]),
    ]
    # the indicators an item answers, by the names the scorecard gives them; one the caller
    # cannot read on the scorecard is not named here either
    labels = {
        indicator.key: wording.pick(language, indicator.label_mn, indicator.label_en)
        for indicator in card.indicators
    }
    where = place(card, language)
    rows: list[list[Cell]] = []
    for item in items:
        latest = item.updates[-1] if item.updates else None
        rows.append(
            [
                *where,
                str(item.id),
                item.issue,
                item.action,
                "; ".join(labels[key] for key in item.indicator_keys if key in labels),
                item.responsible,
                named(wording.LEVELS, language, item.level),
                item.due_on,
                words["yes"] if item.overdue else "",
                named(wording.STATUSES, language, item.status),
                Figure(item.cost_mnt, "mnt"),
                named(wording.FUNDING, language, item.funding_source),
                Figure(item.spent_mnt, "mnt"),
                named(wording.APPROVALS, language, item.approval),
                latest.reported_on if latest else None,
                latest.note if latest else "",
            ]
        )
    return Table("plan", words["tables"]["plan"], columns, rows)
