"""Paper scorecards: where tablets are short, a facilitator types in a focus group's sheet.

The sheet is handed in through the same checks and writes as a tablet's push
(`backend/submissions/paper.py`): a refusal shows the form again with each problem beside its
input and nothing stored; the form carries the sheet's id, made when the form was drawn, so a
double click or a form sent again stores the sheet once."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import State, UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from backend.auth.models import Role
from backend.auth.policy import CurrentPrincipal, allow
from backend.console.forms import FILE_FORM_BYTES, attempt
from backend.console.labels import say
from backend.console.paper_form import SEXES, Field, fields_of, placed, read
from backend.console.render import language_of, screen
from backend.database.session import DbSession
from backend.errors import DomainError
from backend.scorecards.group_types import group_label
from backend.submissions import paper
from backend.submissions.paper import SheetRound

TYPISTS = allow(Role.ADMIN, Role.COORDINATOR, Role.FACILITATOR)

WORDS = {
    "paper_intro": (
        "Таблет хүрэлцээгүй үед фокус бүлгийн цаасан хуудсыг энд бичиж оруулна. Таблетаас "
        "илгээсэнтэй адил шалгагдаж, хадгалагдана.",
        "Where tablets are short, type a focus group's paper sheet in here. It is checked and "
        "stored exactly as a tablet's would be.",
    ),
    "open_rounds": ("Оноо авч буй тойрог", "Rounds taking scores"),
    "no_open_rounds": (
        "Таны хариуцсан нутагт оноо авч буй тойрог алга.",
        "No round in your areas is taking scores now.",
    ),
    "facility": ("Байгууллага", "Facility"),
    "area": ("Нутаг дэвсгэр", "Area"),
    "round": ("Тойрог", "Round"),
    "template": ("Загвар", "Template"),
    "phase": ("Үе шат", "Phase"),
    "type_sheet": ("Хуудас бичих", "Type a sheet"),
    "sheet_title": ("Цаасан хуудас бичих", "Type a paper sheet"),
    "not_scoring": (
        "Энэ тойрог одоо оноо авахгүй байна; хуудсыг хадгалах боломжгүй байж магадгүй.",
        "This round is not taking scores now; the sheet may be refused.",
    ),
    "stored": ("Хуудас хадгалагдлаа.", "The sheet is stored."),
    "stored_again": (
        "Энэ хуудас өмнө нь хадгалагдсан байсан (маягт дахин илгээгдсэн); нэг л удаа хадгалагдана.",
        "This sheet was stored already (the form was sent again); it is stored once.",
    ),
    "next_sheet": ("Дараагийн хуудсыг доор бичнэ үү.", "Type the next sheet below."),
    "problems": (
        "Хуудсыг хадгалсангүй. Доор тэмдэглэсэн алдааг засна уу.",
        "The sheet was not stored. Correct what is marked below.",
    ),
    "the_group": ("Фокус бүлэг", "The focus group"),
    "group_type": ("Бүлэг", "Group"),
    "choose": ("— Сонгох —", "— Choose —"),
    "people_female": ("Оролцогч эмэгтэй", "Women taking part"),
    "people_male": ("Оролцогч эрэгтэй", "Men taking part"),
    "consent_noted": (
        "Зөвшөөрлийн мэдэгдлийг уншиж, бүлэг зөвшөөрсөн",
        "The consent statement was read out and the group agreed",
    ),
    "held_on": ("Бүлэг хуралдсан өдөр", "Day the group met"),
    "answers": ("Хариултууд", "Answers"),
    "answer": ("Хариулт", "Answer"),
    "required": ("заавал", "required"),
    "yes": ("Тийм", "Yes"),
    "no": ("Үгүй", "No"),
    "reason": ("Шалтгаан", "Reason"),
    "suggestion": ("Санал", "Suggestion"),
    "entitled": ("Байх ёстой", "Entitled"),
    "actual": ("Байгаа", "Actually there"),
    "range": ("Хязгаар", "Range"),
    "photo": ("Цаасан хуудасны зураг", "Photo of the paper sheet"),
    "photo_hint": (
        "JPEG, PNG, WebP зураг эсвэл PDF скан. Байршил болон камерын мэдээллийг хадгалахгүй.",
        "A JPEG, PNG or WebP picture, or a PDF scan. Its location and camera data are removed.",
    ),
    "hand_in": ("Хуудсыг хадгалах", "Store the sheet"),
    "typed_so_far": ("Энэ тойрогт бичсэн цаасан хуудас", "Paper sheets typed for this round"),
    "people": ("Оролцогч", "People"),
    "typed_by": ("Бичсэн", "Typed by"),
    "typed_at": ("Бичсэн огноо", "Typed on"),
    "back_to_rounds": ("Тойргийн жагсаалт руу", "Back to the rounds"),
    # problems, by the rule that found them
    "answer_missing": ("Хариулт шаардлагатай.", "An answer is required."),
    "answer_out_of_range": ("Зөвшөөрөгдөх хязгаараас гадуур байна.", "Outside the allowed range."),
    "answer_unknown_option": ("Сонголтын нэг биш байна.", "Not one of the options."),
    "answer_too_long": ("Хэт урт байна.", "Too long."),
    "answer_not_on_sheet": (
        "Энэ үзүүлэлтийг энэ тойрогт фокус бүлэг үнэлэхгүй.",
        "Focus groups do not score this indicator in this round.",
    ),
    "wrong_scale": ("Хуваарийн нэг оноог сонгоно уу.", "Choose a score on the scale."),
    "wrong_yes_no": ("Тийм эсвэл үгүй гэж сонгоно уу.", "Choose yes or no."),
    "wrong_count": ("0-ээс эхлэх бүхэл тоо оруулна уу.", "Give a whole number from 0."),
    "wrong_money": ("Төгрөгийн бүхэл дүн оруулна уу.", "Give a whole amount in tögrög."),
    "wrong_number": ("Тоо оруулна уу.", "Give a number."),
    "wrong_single_choice": ("Нэг сонголт хийнэ үү.", "Choose one option."),
    "wrong_multi_choice": ("Сонголтуудаас сонгоно уу.", "Choose among the options."),
    "wrong_text": ("Текст оруулна уу.", "Give text."),
    "wrong_entitlement": (
        "Байх ёстой болон байгаа тоог хоёуланг нь оруулна уу.",
        "Give both numbers: entitled and actually there.",
    ),
    "round_closed": (
        "Тойрог хаагдсан тул хуудас авахгүй.",
        "The round is closed: it takes no more sheets.",
    ),
    "round_unknown": ("Таны нутагт ийм тойрог алга.", "There is no such round in your areas."),
    "not_yours": (
        "Таны эрх фокус бүлгийн оноо оруулахад хүрэхгүй.",
        "Your account may not hand in a focus group's scores.",
    ),
    "sheet_taken": (
        "Энэ хуудас өөр хариулттайгаар өмнө нь хадгалагдсан. Өөр хуудас бичихдээ шинэ "
        "маягт нээнэ үү.",
        "This sheet was stored already with other answers. Open a new form to type another sheet.",
    ),
    "people_invalid": (
        "Оролцогчдын тоо 0-ээс эхлэх бүхэл тоо байна.",
        "The number of people is a whole number from 0.",
    ),
    "group_missing": ("Бүлгийг сонгоно уу.", "Choose the group."),
    "held_on_missing": ("Бүлэг хуралдсан өдрийг оруулна уу.", "Give the day the group met."),
    "photo_missing": ("Цаасан хуудасны зургийг хавсаргана уу.", "Attach a photo of the sheet."),
    "photo_type": (
        "Зураг нь JPEG, PNG, WebP эсвэл PDF байна.",
        "The photo must be a JPEG, PNG or WebP picture, or a PDF scan.",
    ),
    "photo_unreadable": ("Зургийг уншиж чадсангүй.", "The photo cannot be read."),
    "photo_too_large": ("Зураг хэт том байна.", "The photo is too large."),
    "invalid": ("Утга буруу байна.", "A value is not valid."),
    "phase_input_tracking": ("Орцын хяналт", "Input tracking"),
    "phase_community_scoring": ("Иргэдийн үнэлгээ", "Community scoring"),
    "phase_self_assessment": ("Өөрийн үнэлгээ", "Self-assessment"),
}


def _group_choices(round_: SheetRound, language: str) -> list[tuple[str, str]]:
    return [(key, say(group_label(key), language)) for key in round_.group_types]


def _sheet_page(
    request: Request[Any, Any, Any],
    round_: SheetRound,
    rows: list[Field],
    typed: list[paper.TypedSheet],
    *,
    language: str,
    sheet_id: uuid.UUID,
    values: dict[str, list[str]],
    problems: dict[str, list[str]],
    notice: str | None = None,
    status: int = 200,
) -> Template:
    return screen(
        request,
        "paper/sheet.html",
        WORDS,
        status=status,
        round=round_,
        facility=say(round_.facility, language),
        round_label=say(round_.label, language),
        rows=rows,
        groups=_group_choices(round_, language),
        group_names={s.group_type: say(group_label(s.group_type), language) for s in typed},
        sexes=SEXES,
        sheet_id=sheet_id,
        values=values,
        problems=problems,
        notice=notice,
        typed=typed,
    )


@get("/console/paper", opt=TYPISTS, include_in_schema=False)
async def rounds(
    db: DbSession, request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Template:
    """The rounds in the reader's areas that take scores now, each to type a sheet for."""
    language = language_of(request, principal)
    found = await paper.open_rounds(db, principal=principal)
    return screen(
        request,
        "paper/rounds.html",
        WORDS,
        rounds=[
            {
                "id": r.cycle_id,
                "label": say(r.label, language),
                "facility": say(r.facility, language),
                "area": say(r.area, language),
                "template": say(r.template, language),
                "phase": r.phase,
            }
            for r in found
        ],
    )


@get("/console/paper/{cycle_id:uuid}", opt=TYPISTS, include_in_schema=False)
async def sheet_form(
    db: DbSession,
    state: State,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    stored: FromQuery[uuid.UUID | None] = None,
    again: FromQuery[bool] = False,
) -> Template:
    """A blank sheet of the round; its id is made now, so sending it twice stores it once."""
    language = language_of(request, principal)
    round_ = await paper.sheet_round(db, principal=principal, cycle_id=cycle_id)
    typed = await paper.typed_sheets(db, principal=principal, cycle_id=cycle_id)
    notice = None
    if stored is not None and any(sheet.id == stored for sheet in typed):
        notice = "stored_again" if again else "stored"
    return _sheet_page(
        request,
        round_,
        fields_of(round_, language),
        typed,
        language=language,
        sheet_id=uuid.uuid4(),
        values={"held_on": [state.settings.today().isoformat()]},
        problems={},
        notice=notice,
    )


async def _photo(form: Any) -> bytes | None:
    upload = form.get("photo")
    if isinstance(upload, UploadFile):
        data = await upload.read()
        return data or None
    return None


@post(
    "/console/paper/{cycle_id:uuid}",
    opt=TYPISTS,
    include_in_schema=False,
    status_code=303,
    request_max_body_size=FILE_FORM_BYTES,
)
async def hand_in(
    db: DbSession,
    state: State,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
) -> Template | Redirect:
    """Store the typed sheet as a push would; a refusal shows the form again, as typed, with
    each problem beside its input (the photo has to be chosen again)."""
    language = language_of(request, principal)
    form = await request.form()
    round_ = await paper.sheet_round(db, principal=principal, cycle_id=cycle_id)
    rows = fields_of(round_, language)
    typed = read(form, round_, rows, await _photo(form))
    outcome: Any = None
    problems = typed.problems
    if typed.sheet is not None:
        sheet = typed.sheet
        outcome = await attempt(
            db,
            lambda: paper.hand_in(
                db, state.attachments, principal=principal, settings=state.settings, sheet=sheet
            ),
        )
        if not isinstance(outcome, DomainError):
            again = "&again=1" if outcome.status == "duplicate" else ""
            return Redirect(
                path=f"/console/paper/{cycle_id}?stored={sheet.id}{again}", status_code=303
            )
        problems = placed(outcome, rows)
    values = {
        name: [v for v in form.getall(name, []) if isinstance(v, str)]
        for name in form
        if name not in ("photo", "_csrf_token")
    }
    return _sheet_page(
        request,
        round_,
        rows,
        await paper.typed_sheets(db, principal=principal, cycle_id=cycle_id),
        language=language,
        # a sheet whose id holds another sheet's answers goes on as a new sheet
        sheet_id=uuid.uuid4() if "sheet_taken" in problems.get("form", []) else typed.sheet_id,
        values=values,
        problems=problems,
        status=422,
    )


ROUTES = [rounds, sheet_form, hand_in]
