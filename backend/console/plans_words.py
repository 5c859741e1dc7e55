"""The action-plan tracker's words in Mongolian and English, and a refusal's code as one."""

from __future__ import annotations

WORDS = {
    "plans_intro": (
        "Хамтарсан хэлэлцүүлгээр тохирсон үйл ажиллагаа, тэдгээрийн явц.",
        "The actions agreed at the interface meetings, and how they are going.",
    ),
    "area": ("Нутаг дэвсгэр", "Area"),
    "funding_source": ("Санхүүжилтийн эх үүсвэр", "Funding source"),
    "status": ("Төлөв", "Status"),
    "approval": ("Батлалт", "Approval"),
    "overdue_only": ("Зөвхөн хугацаа хэтэрсэн", "Overdue only"),
    "review_due_only": ("Зөвхөн хянах хугацаа болсон", "Due for review only"),
    "facility": ("Байгууллага", "Facility"),
    "round": ("Тойрог", "Round"),
    "issue": ("Асуудал", "Issue"),
    "action": ("Арга хэмжээ", "Action"),
    "responsible": ("Хариуцагч", "Responsible"),
    "resources": ("Нөөц", "Resources"),
    "due_on": ("Дуусах хугацаа", "Due"),
    "review_on": ("Хянах огноо", "Review on"),
    "cost_mnt": ("Төсөв (₮)", "Cost (MNT)"),
    "spent_mnt": ("Зарцуулсан (₮)", "Spent (MNT)"),
    "level": ("Түвшин", "Level"),
    "indicator_keys": ("Холбогдох үзүүлэлт", "Indicators it answers"),
    "overdue": ("Хугацаа хэтэрсэн", "Overdue"),
    "due_for_review": ("Хянах хугацаа болсон", "Due for review"),
    "over_cost": ("Төсвөөс хэтэрсэн", "Over its cost"),
    "agreed": ("Тохирсон (зөвхөн засвараар өөрчлөгдөнө)", "Agreed (changes only by revision)"),
    "open": ("Нээх", "Open"),
    "no_items": ("Эдгээр нөхцөлд тохирох ажил алга.", "No action item fits these filters."),
    "shown": ("{first}–{last} / {total}", "{first}–{last} of {total}"),
    "previous": ("Өмнөх", "Previous"),
    "next": ("Дараах", "Next"),
    "pages": ("Хуудаслалт", "Pages"),
    "item_title": ("Үйл ажиллагаа", "Action item"),
    "round_plan": ("Тойргийн төлөвлөгөө", "The round's plan"),
    "updates": ("Явцын тайлан", "Progress reports"),
    "reported_on": ("Огноо", "Date"),
    "note": ("Тэмдэглэл", "Note"),
    "no_updates": ("Явцын тайлан ирээгүй.", "No progress report yet."),
    "revisions": ("Засварууд", "Revisions"),
    "no_revisions": ("Засвар ороогүй.", "Not revised."),
    "revised_at": ("Зассан огноо", "Revised on"),
    "reason": ("Шалтгаан", "Reason"),
    "before": ("Өмнө", "Before"),
    "after": ("Дараа", "After"),
    "revise": ("Засвар оруулах", "Revise"),
    "revise_intro": (
        "Тохирсон ажлын амлалтыг зөвхөн шалтгаантайгаар өөрчилнө. Өөрчлөх талбараа засна уу.",
        "What an agreed item commits to changes only with a reason. Change the fields that change.",
    ),
    "keep": ("— Хэвээр —", "— Unchanged —"),
    "save_revision": ("Засварыг хадгалах", "Store the revision"),
    "revised": ("Засвар хадгалагдлаа.", "The revision is stored."),
    "decisions": ("Шийдвэрүүд", "Decisions"),
    "no_decisions": ("Шийдвэр гараагүй.", "No decision yet."),
    "decided_at": ("Огноо", "Date"),
    "decision": ("Шийдвэр", "Decision"),
    "items_covered": ("Хамарсан ажил", "Items covered"),
    "decide": ("Төлөвлөгөөг батлах эсвэл буцаах", "Approve or return the plan"),
    "decide_intro": (
        "Батлагдаагүй {count} ажлыг доорх байдлаар нь шийднэ.",
        "The {count} items not yet approved are decided as shown here.",
    ),
    "approve": ("Батлах", "Approve"),
    "return": ("Буцаах", "Return"),
    "decision_reason": (
        "Шалтгаан (буцаахад заавал)",
        "Reason (required to return the plan)",
    ),
    "store_decision": ("Шийдвэрийг хадгалах", "Store the decision"),
    "decided_approved": ("Төлөвлөгөө батлагдлаа.", "The plan is approved."),
    "decided_returned": ("Төлөвлөгөө буцаагдлаа.", "The plan is returned."),
    "all_approved": ("Бүх ажил батлагдсан.", "Every item is approved."),
    # refusals
    "plan_not_agreed": (
        "Төлөвлөгөөг хамтарсан хэлэлцүүлгээр тохирно; тэр хэлэлцүүлэг хараахан болоогүй.",
        "The plan is agreed at the interface meeting, which is still ahead.",
    ),
    "plan_round_closed": (
        "Тойрог хаагдсан тул төлөвлөгөө өөрчлөгдөхгүй.",
        "The round is closed; its plan no longer changes.",
    ),
    "plan_nothing_to_decide": (
        "Бүх ажил аль хэдийн батлагдсан эсвэл ажил алга.",
        "Every item of this plan is approved already, or there is none.",
    ),
    "plan_changed": (
        "Таныг уншсанаас хойш төлөвлөгөө өөрчлөгдсөн. Шинэчилсэн байдлыг нь уншаад дахин "
        "шийднэ үү.",
        "The plan changed since you read it: read it again as it is now and decide on it.",
    ),
    "plan_reason_required": ("Шалтгааныг бичнэ үү.", "Give the reason."),
    "plan_four_eyes": (
        "Та энэ төлөвлөгөөг өөрчилсөн тул өөр хүн (байгууллагын дарга эсвэл зохицуулагч) батална.",
        "You changed this plan: another decider (the facility head or a coordinator) approves it.",
    ),
    "nothing_revised": (
        "Засвар нь ажлын амлалтаас ядаж нэгийг өөрчилнө.",
        "A revision changes at least one thing the item commits to.",
    ),
    "invalid_cost_mnt": ("Төсөв нь 0-ээс эхлэх бүхэл дүн.", "The cost is a whole amount from 0."),
    "invalid_due_on": ("Огноог зөв оруулна уу.", "Give a valid date."),
    "invalid_reason": ("Шалтгаан хэт урт байна.", "The reason is too long."),
    "invalid_value": ("Утга буруу байна.", "A value is not valid."),
    "not_found": ("Ийм зүйл олдсонгүй.", "There is no such thing here."),
}

PROBLEMS = {
    "plan.not_agreed": "plan_not_agreed",
    "plan.round_closed": "plan_round_closed",
    "plan.nothing_to_decide": "plan_nothing_to_decide",
    "plan.changed": "plan_changed",
    "plan.reason_required": "plan_reason_required",
    "plan.four_eyes": "plan_four_eyes",
    "request.invalid": "nothing_revised",
    "invalid.cost_mnt": "invalid_cost_mnt",
    "invalid.due_on": "invalid_due_on",
    "invalid.reason": "invalid_reason",
    "not_found": "not_found",
}


def problem_word(code: str) -> str:
    """The word key that says a refusal (by its code) to the reader."""
    if code.startswith("invalid."):
        return PROBLEMS.get(code, "invalid_value")
    return PROBLEMS.get(code, "refused")
