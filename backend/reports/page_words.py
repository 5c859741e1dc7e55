"""The scorecard page's own words, in Mongolian and English."""

from __future__ import annotations

from typing import Any

WORDS: dict[str, dict[str, Any]] = {
    "mn": {
        "title": "Иргэдийн үнэлгээний карт",
        "version": "хувилбар",
        "phase": "Үе шат",
        "opened": "Нээсэн",
        "held": "Үнэлгээ хийсэн",
        "meeting": "Хамтарсан хэлэлцүүлэг",
        "published": "Нийтэлсэн",
        "closed": "Хаасан",
        "printed": "Хэвлэсэн",
        "page": "Хуудас",
        "community": "Иргэд",
        "provider": "Үйлчилгээ үзүүлэгч",
        "monitor": "Хянагч",
        "gap": "Зөрүү",
        "change": "Өмнөх үеэс",
        "trend": "Үеүүдээр",
        "withheld": (
            "{n} бүлэг {size}-аас цөөн хүнтэй байсан тул энэ хуудасны аль ч тоонд ороогүй."
        ),
        "in_progress": (
            "Иргэдийн үнэлгээ үргэлжилж байна: төлөвлөсөн {planned} бүлгээс {scored} нь "
            "үнэлгээгээ өгсөн."
        ),
        "in_progress_unplanned": "Иргэдийн үнэлгээ үргэлжилж байна: {scored} бүлэг үнэлсэн.",
        "awaiting": "хүлээгдэж байна",
        "not_scored": "үнэлгээгүй",
        "plan": "Хамтарсан үйл ажиллагааны төлөвлөгөө",
        "issue": "Асуудал ба арга хэмжээ",
        "responsible": "Хариуцагч",
        "due": "Хугацаа",
        "cost": "Төсөв",
        "spent": "Зарцуулсан",
        "approval": "Батлалт",
        "latest": "Сүүлийн тайлан",
        "overdue": "хугацаа хэтэрсэн",
        "no_plan": "Төлөвлөгөө хараахан гараагүй байна.",
        "evidence": "Нотлох зураг",
        "raised": "Иргэд өөрсдөө дэвшүүлсэн",
        "raised_provider": "Үйлчилгээ үзүүлэгч дэвшүүлсэн",
        "medicines": "Эмийн хүртээмж ба үнэ",
        "inputs": "Орцын хяналт: эрх ба бодит байдал",
        "entitled": "Эрх",
        "found": "Байгаа",
        "shortfall": "Дутагдал",
        "medicine": "Эм",
        "checks": "Шалгалт",
        "basket": "Бүх эм (сагс)",
        "available": "Байгаа",
        "stockout_30": "Тасалдсан өдөр, 30 хоногт",
        "stockout_90": "Тасалдсан өдөр, 90 хоногт",
        "mpr_generic": "Үнийн харьцаа, ерөнхий нэршлийн",
        "mpr_originator": "Үнийн харьцаа, анхдагч брэнд",
        "mpr_note": (
            "Үнийн харьцаа: лангуун дээр байсан хамгийн хямд нэгж үнийг лавлах үнэд "
            "харьцуулсан (ДЭМБ/HAI арга); 1 = лавлах үнэ. Гэрэл: байгаа хувь 80% ба түүнээс "
            "дээш ногоон, 50% ба түүнээс дээш шар, бусад улаан."
        ),
        "one_check": (
            "Энэ хүснэгтийн тоо бүр энэ эмийн сангийн нэг удаагийн шалгалтын үр дүн: "
            "олон шалгалтын медиан биш."
        ),
        "medicine_evidence": "Эмийн нөөц, үнийн нотолгоо",
        "matrix": "Үнэлгээний хүснэгт: үзүүлэлт, бүлгээр",
        "indicator": "Үзүүлэлт",
        "overall": "Иргэд, бүгд",
        "scale": "Хэмжүүр",
        "legend": "Тайлбар",
        "legend_light": (
            "Гэрэл: иргэдийн үнэлгээ (хянагчийн шалгасан зүйлд хянагчийн дүгнэлт) сайн тал руу "
            "0–100-аар: 75 ба түүнээс дээш ногоон, 50–75 шар, 50-аас доош улаан; саарал: "
            "аль тал нь сайн болох нь тодорхойгүй эсвэл үнэлгээгүй."
        ),
        "legend_bars": (
            "Зураас: цэнхэр нь иргэдийн, саарал нь үйлчилгээ үзүүлэгчийн үнэлгээ, 0–100 "
            "хэмжүүрээр (зүүн зах 0, баруун зах 100)."
        ),
        "legend_gap": (
            "Зөрүү: иргэдийн үнэлгээнээс үйлчилгээ үзүүлэгчийн үнэлгээг хассан; хасах тэмдэг "
            "нь иргэд илүү муу үнэлснийг заана. Өмнөх үеэс: энэ үеийн иргэдийн үнэлгээнээс "
            "өмнөх үеийнхийг хассан. Тийм/үгүй асуултын зөрүү хувийн пунктээр."
        ),
        "legend_scale": (
            "Тоо бүр үзүүлэлтийн өөрийн хэмжүүрээр; тийм/үгүй асуултад тийм гэсэн хувь. "
            "Хаалтанд 0–100 болгосон утга: хэмжүүрийн доод цэг 0, дээд цэг 100."
        ),
        "legend_trend": "Үеүүдээр: иргэдийн үнэлгээ үе бүрээр; дээшлэх нь сайжирсныг заана.",
        "lower_better": "бага нь сайн",
        "approved_only": (
            "Энэ хуудасны тоонд зохицуулагчийн баталсан оноон картууд л орсон (баталснаас хойш "
            "өөрчлөгдсөн нь дахин хянагдтал орохгүй)."
        ),
    },
    "en": {
        "title": "Community scorecard",
        "version": "version",
        "phase": "Phase",
        "opened": "Opened",
        "held": "Scored",
        "meeting": "Interface meeting",
        "published": "Published",
        "closed": "Closed",
        "printed": "Printed",
        "page": "Page",
        "community": "Community",
        "provider": "Provider",
        "monitor": "Monitor",
        "gap": "Gap",
        "change": "Since last round",
        "trend": "Over the rounds",
        "withheld": "{n} group(s) had fewer than {size} people: left out of every figure here.",
        "in_progress": (
            "Community scoring is under way: {scored} of the {planned} groups planned have "
            "scored so far."
        ),
        "in_progress_unplanned": "Community scoring is under way: {scored} group(s) scored.",
        "awaiting": "awaiting scores",
        "not_scored": "not scored",
        "plan": "Joint action plan",
        "issue": "Issue and action",
        "responsible": "Responsible",
        "due": "Due",
        "cost": "Cost",
        "spent": "Spent",
        "approval": "Approval",
        "latest": "Latest report",
        "overdue": "overdue",
        "no_plan": "No action plan yet.",
        "evidence": "Evidence photo",
        "raised": "Raised by the community",
        "raised_provider": "Raised by the provider",
        "medicines": "Medicine availability and prices",
        "inputs": "Input tracking: entitlement against what is there",
        "entitled": "Entitled",
        "found": "Found",
        "shortfall": "Shortfall",
        "medicine": "Medicine",
        "checks": "Checks",
        "basket": "All medicines (basket)",
        "available": "Available",
        "stockout_30": "Stock-out days in 30",
        "stockout_90": "Stock-out days in 90",
        "mpr_generic": "Price ratio, lowest generic",
        "mpr_originator": "Price ratio, originator",
        "mpr_note": (
            "Price ratio: the lowest unit price found on the shelf over the reference price "
            "(the WHO/HAI method); 1 = the reference price. Lights: available in 80% or more "
            "green, 50% or more amber, else red."
        ),
        "one_check": (
            "Every figure in this table is the result of one check of this pharmacy, not a "
            "median across checks."
        ),
        "medicine_evidence": "Stock and price evidence",
        "matrix": "Scoring matrix: indicators by group",
        "indicator": "Indicator",
        "overall": "Community, all",
        "scale": "Scale",
        "legend": "How to read this page",
        "legend_light": (
            "Lights: the community's score (for what the monitor checks, the monitor's "
            "finding), read toward the better side on 0–100: 75 or more green, 50 to 75 amber, "
            "under 50 red; grey: which side is better is not set, or not scored."
        ),
        "legend_bars": (
            "Bars: blue the community's score, grey the provider's, on 0–100 (the left edge "
            "is 0, the right edge 100)."
        ),
        "legend_gap": (
            "Gap: the community's score minus the provider's; a minus sign means the "
            "community scored lower. Since last round: the community's score now minus the "
            "previous round's. For yes/no questions, in percentage points."
        ),
        "legend_scale": (
            "Each figure on the indicator's own scale; for yes/no, the percent answering yes. "
            "In brackets, the same on 0–100: the scale's lowest point is 0, its highest 100."
        ),
        "legend_trend": "Over the rounds: the community's score round by round; up is better.",
        "lower_better": "lower is better",
        "approved_only": (
            "The figures on this page count only the scorecards a coordinator approved (one "
            "changed since its approval counts again once it is approved again)."
        ),
    },
}
