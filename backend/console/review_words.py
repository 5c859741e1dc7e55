"""The review screens' words, in Mongolian and English."""

from __future__ import annotations

WORDS = {
    "review_title": ("Хяналт ба нийтлэл", "Review and publication"),
    "review_intro": (
        "Таны хариуцсан нутгийн тойргууд: шалгах оноон карт, хянах шалтгаан ба зураг, "
        "орчуулах үзүүлэлт.",
        "The rounds of your areas: scorecards to look at, reasons and photos to review, "
        "raised indicators to translate.",
    ),
    "round": ("Тойрог", "Round"),
    "facility": ("Байгууллага", "Facility"),
    "phase": ("Үе шат", "Phase"),
    "published": ("Нийтэлсэн", "Published"),
    "not_published": ("Нийтлээгүй", "Not published"),
    "scorecards": ("Оноон карт", "Scorecards"),
    "to_look_at": ("Шалгах карт", "Scorecards to look at"),
    "pieces_waiting": ("Хянах шалтгаан, зураг", "Reasons and photos to review"),
    "words_waiting": ("Орчуулах үзүүлэлт", "Indicators to translate"),
    "open_round": ("Нээх", "Open"),
    "include_closed": ("Хаагдсан тойргийг оруулах", "Include closed rounds"),
    "show": ("Харуулах", "Show"),
    "nothing_waiting": ("Хүлээгдэж буй зүйл алга.", "Nothing is waiting."),
    "previous_page": ("Өмнөх", "Previous"),
    "next_page": ("Дараах", "Next"),
    "rounds_shown": ("{total} тойргоос {first}–{last}", "{first}–{last} of {total} rounds"),
    # review states
    "state": ("Төлөв", "State"),
    "state_unreviewed": ("Шалгаагүй", "Not reviewed"),
    "state_approved": ("Баталсан", "Approved"),
    "state_has_issues": ("Асуудалтай", "Has issues"),
    "state_rejected": ("Татгалзсан", "Rejected"),
    "state_changed": ("Шийдвэрээс хойш өөрчлөгдсөн", "Changed since the decision"),
    "changed_since_approved": ("Баталснаас хойш өөрчлөгдсөн", "Changed since approved"),
    "changed_since_has_issues": (
        "«Асуудалтай» гэснээс хойш өөрчлөгдсөн",
        "Changed since marked as having issues",
    ),
    "changed_since_rejected": ("Татгалзснаас хойш өөрчлөгдсөн", "Changed since rejected"),
    "filter_state": ("Төлөвөөр шүүх", "Filter by state"),
    # submissions
    "group": ("Бүлэг", "Group"),
    "respondent": ("Хэн бөглөсөн", "Respondent"),
    "participants": ("Оролцогчид", "Participants"),
    "collected": ("Бөглөсөн", "Collected"),
    "collected_by": ("Оруулсан", "Entered by"),
    "version": ("Хувилбар", "Version"),
    "open_scorecard": ("Харах", "Open"),
    "no_scorecards": ("Энэ төлөвтэй оноон карт алга.", "No scorecard in this state."),
    "answers": ("Хариултууд", "Answers"),
    "indicator": ("Үзүүлэлт", "Indicator"),
    "answer": ("Хариулт", "Answer"),
    "photos": ("Зураг", "Photos"),
    "photo_of": ("Нотлох зураг: {indicator}", "Evidence photo: {indicator}"),
    "decision": ("Шийдвэр", "Decision"),
    "decide": ("Шийдвэрлэх", "Decide"),
    "note": ("Тайлбар", "Note"),
    "note_hint": (
        "«Асуудалтай» эсвэл «Татгалзсан» бол шалтгааныг заавал бичнэ. Багийн таблет дээр "
        "харагдана; үйлчилгээ үзүүлэгч, олон нийт хэзээ ч харахгүй.",
        "Required for «has issues» and «rejected». The team's tablets show it; providers and "
        "viewers never see it.",
    ),
    "approve": ("Батлах", "Approve"),
    "mark_issues": ("Асуудалтай", "Has issues"),
    "reject": ("Татгалзах", "Reject"),
    "history": ("Түүх", "History"),
    "decided_by": ("Шийдвэрлэсэн", "Decided by"),
    "decided_at": ("Хэзээ", "When"),
    "on_version": ("Хувилбар {version} дээр", "On version {version}"),
    "no_decisions": ("Одоогоор шийдвэр гараагүй.", "No decision yet."),
    "back_to_round": ("Тойрог руу буцах", "Back to the round"),
    "back_to_rounds": ("Бүх тойрог", "All rounds"),
    # pieces
    "pieces_title": (
        "Хянагдаагүй шалтгаан, санал, зураг",
        "Reasons, suggestions and photos awaiting review",
    ),
    "pieces_intro": (
        "Зөвшөөрсөн хэсгийг үйлчилгээ үзүүлэгч, олон нийт харна. Нуувал шалтгааныг бичнэ.",
        "Providers and viewers read a piece once you pass it. Hiding one says why.",
    ),
    "kind_reason": ("Шалтгаан", "Reason"),
    "kind_suggestion": ("Санал", "Suggestion"),
    "kind_photo": ("Зураг", "Photo"),
    "kind_label": ("Дэвшүүлсэн асуудлын нэр", "A raised issue's words"),
    "pass": ("Зөвшөөрөх", "Pass"),
    "hide": ("Нуух", "Hide"),
    "hide_note": ("Нуух шалтгаан", "Why it is hidden"),
    "no_pieces": ("Хянах зүйл алга.", "Nothing awaits review."),
    # raised indicators
    "words_title": (
        "Орчуулга, чиглэл хүлээж буй үзүүлэлт",
        "Raised indicators awaiting translation and direction",
    ),
    "words_intro": (
        "Бүлгүүдийн өөрсдийн үгээр дэвшүүлсэн асуудал. Англи нэр, аль нь сайныг тогтооно.",
        "Issues the groups raised in their own words. Give the English words and say which "
        "way is better.",
    ),
    "label_mn": ("Монгол нэр", "Mongolian words"),
    "label_en": ("Англи нэр", "English words"),
    "better": ("Аль нь сайн", "Which way is better"),
    "better_choose": ("— сонгоно уу —", "— choose —"),
    "raised_by": ("Дэвшүүлсэн", "Raised by"),
    "no_words_waiting": ("Орчуулах үзүүлэлт алга.", "No indicator awaits its words."),
    # publication
    "publication": ("Нийтлэл", "Publication"),
    "publish": ("Нийтлэх", "Publish"),
    "publish_hint": (
        "Нийтэлсний дараа олон нийт (яам, хандивлагч) энэ тойргийн үр дүнг харна.",
        "Once published, viewers (ministries, donors, the public) read this round's results.",
    ),
    "withdraw": ("Нийтлэлийг буцаах", "Withdraw the publication"),
    "withdraw_reason": ("Буцаах шалтгаан", "Why it is withdrawn"),
    "withdraw_hint": (
        "Олон нийт энэ тойргийг шууд харахаа болино. Шалтгаан заавал бичнэ.",
        "Viewers stop seeing this round at once. The reason is required.",
    ),
    "publication_history": ("Нийтлэлийн түүх", "Publication history"),
    "action_published": ("Нийтэлсэн", "Published"),
    "action_withdrawn": ("Буцаасан", "Withdrawn"),
    "by": ("Хэн", "Who"),
    "when": ("Хэзээ", "When"),
    "reason": ("Шалтгаан", "Reason"),
    "saved": ("Хадгаллаа.", "Saved."),
    # refusals shown on the forms
    "error_note_required": (
        "«Асуудалтай» эсвэл «Татгалзсан» шийдвэрт шалтгаан бичнэ үү.",
        "Write why the scorecard has issues or is rejected.",
    ),
    "error_submission_changed": (
        "Таныг уншсанаас хойш оноон карт өөрчлөгдсөн байна. Дахин уншаад шийдвэрлэнэ үү.",
        "The scorecard changed since you read it. Read it again and decide on it as it is now.",
    ),
    "error_submission_deleted": (
        "Энэ оноон картыг хассан байна.",
        "This scorecard was withdrawn by its team.",
    ),
    "error_piece_changed": (
        "Энэ хэсэг таныг уншсанаас хойш өөрчлөгдсөн. Дахин уншина уу.",
        "This piece changed since you read it. Read it again.",
    ),
    "error_hide_says_why": ("Нуух шалтгааныг бичнэ үү.", "Write why the piece is hidden."),
    "error_reason_required": (
        "Нийтлэлийг буцаах шалтгааныг бичнэ үү.",
        "Write why the publication is withdrawn.",
    ),
    "error_not_published": ("Энэ тойрог нийтлэгдээгүй байна.", "This round is not published."),
    "error_words_refused": (
        "Энэ өөрчлөлтийг хийх боломжгүй: тойрог хаагдсан эсвэл үзүүлэлт царцсан байна.",
        "This change is not possible: the round is closed or the indicator is settled.",
    ),
    "error_invalid": ("Маягтыг зөв бөглөнө үү.", "Please fill in the form correctly."),
}
