"""The conflict screen's words, in Mongolian and English."""

from __future__ import annotations

WORDS = {
    "conflicts_title": ("Зөрчил", "Conflicts"),
    "conflicts_intro": (
        "Хоёр таблет нэг зүйлийг өөр өөрөөр өөрчилсөн. Серверт эхэлж ирсэн утга хадгалагдсан; "
        "аль утгыг үлдээхийг сонгоно уу.",
        "Two tablets changed the same thing differently. The value that reached the server "
        "first stands; choose the one to keep.",
    ),
    "no_conflicts": ("Шийдээгүй зөрчил алга.", "No open conflict."),
    "settled": ("Зөрчлийг шийдлээ.", "The conflict is settled."),
    "entity_submission": ("Оноон карт", "Scorecard"),
    "entity_interface_meeting": ("Хамтарсан хэлэлцүүлэг", "Interface meeting"),
    "entity_action_item": ("Үйл ажиллагааны төлөвлөгөөний ажил", "Action item"),
    "entity_action_update": ("Явцын мэдээ", "Progress report"),
    "entity_cycle_indicator": ("Иргэдийн дэвшүүлсэн үзүүлэлт", "Raised indicator"),
    "entity_other": ("Бичлэг", "Record"),
    "what_changed": ("Юу", "What"),
    "side_base": ("Анхны утга", "Where both started"),
    "side_server": ("Серверт байгаа", "On the server now"),
    "side_tablet": ("Таблетаас ирсэн", "From the tablet"),
    "made_by": ("{who}, {when}", "{who}, {when}"),
    "unknown_person": ("Тодорхойгүй", "Unknown"),
    "keep_server": ("Сервер дээрхийг үлдээх", "Keep the server's"),
    "take_tablet": ("Таблетынхыг авах", "Take the tablet's"),
    "take_typed": ("Энэ утгыг оруулах", "Set this value"),
    "typed_value": ("Өөр утга", "Another value"),
    "choose": ("— сонгоно уу —", "— choose —"),
    "settle_note": ("Тэмдэглэл", "Note"),
    "settle_note_hint": (
        "Хэнтэй ярилцсан, юуг тохиролцсон (заавал биш).",
        "Who was asked, what was agreed (optional).",
    ),
    "record_deleted": ("Устгагдсан", "Deleted"),
    "tablet_deletes": ("Таблет устгахыг хүссэн", "The tablet deleted it"),
    "error_outdated": (
        "Зөрчил бүртгэгдсэнээс хойш бичлэг өөрчлөгдсөн. Одоогийн утгыг харуулж байна: дахин "
        "сонгоно уу.",
        "The record changed since the conflict was recorded; it now shows the current value: "
        "choose again.",
    ),
    "error_resolved": (
        "Энэ зөрчлийг өөр хүн шийдсэн байна.",
        "Someone settled this conflict already.",
    ),
    "error_round_closed": (
        "Тойрог хаагдсан тул бичлэг өөрчлөгдөхгүй.",
        "The round is closed: its records no longer change.",
    ),
    "error_not_author": (
        "Оноог зөвхөн энэ картыг бөглөсөн хүн өөрчилнө. Сервер дээрхийг үлдээх эсвэл тэр "
        "хүнээр шийдүүлнэ үү.",
        "Only the person who collected this scorecard changes its scores: keep the server's "
        "value, or ask them to settle it.",
    ),
    "error_not_scoring": (
        "Оноо зөвхөн үнэлгээний үе шатанд өөрчлөгдөнө.",
        "Scores change only while the round is in a scoring phase.",
    ),
    "error_does_not_fit": (
        "Энэ утга асуултад тохирохгүй байна.",
        "This value does not fit the question.",
    ),
    "error_refused": ("Энэ сонголтыг хийх боломжгүй.", "This choice is not possible."),
}
