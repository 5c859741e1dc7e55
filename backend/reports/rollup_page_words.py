"""The area page's own words, in Mongolian and English."""

from __future__ import annotations

from typing import Any

WORDS: dict[str, dict[str, Any]] = {
    "mn": {
        "title": "Нэгтгэл",
        "unit": "Нэгж",
        "indicator": "Үзүүлэлт",
        "facilities": "Байгууллага",
        "community": "Иргэд",
        "provider": "Үйлчилгээ үзүүлэгч",
        "monitor": "Хянагч",
        "gap": "Зөрүү",
        "plans": "Үйл ажиллагааны төлөвлөгөөний биелэлт",
        "actions": "Арга хэмжээ",
        "completion": "Биелсэн",
        "overdue": "Хугацаа хэтэрсэн",
        "index": "Хариу үйлдлийн индекс",
        "index_family": "Хариу үйлдлийн индекс: {family}",
        "rounds": "Үе",
        "hidden": "суурь 5-аас бага",
        "components": {
            "on_time": "Хугацаандаа биелсэн",
            "money": "Зарцуулсан / төлөвлөсөн мөнгө",
            "gap_closed": "Зөрүү багассан",
            "participation": "Эмзэг бүлгийн оролцоо",
        },
        "index_note": (
            "Индекс (хувилбар {version}): харагдаж буй бүрэлдэхүүнүүдийн дундаж × 100; "
            "гурваас цөөн бүрэлдэхүүн харагдвал индекс гарахгүй. Энэ хуудсанд нэгтгэсэн "
            "үеүүдээр тооцсон."
        ),
        "period_latest": "Байгууллага бүрийн хамгийн сүүлд нийтэлсэн үе",
        "period_held": "{since}-аас {until} хүртэл хийсэн үеүүд",
        "period_held_from": "{since}-аас хойш хийсэн үеүүд",
        "period_held_until": "{until} хүртэл хийсэн үеүүд",
        "period_campaign": "Аян: {label}",
        "period_rounds": "{rounds} үе, {first} – {last} хооронд хийсэн",
        "period_none": "Энэ сонголтод тохирох үе алга.",
        "pick": "Хугацаа сонгох",
        "since": "Эхлэх",
        "until": "Дуусах (оруулахгүй)",
        "by": "Нэгжээр",
        "show": "Харах",
        "latest_link": "Сүүлийн нийтэлсэн үеүүд",
        "medicines": "Эмийн хүртээмж ба үнэ",
        "medicine": "Эм",
        "outlets": "Эмийн сан",
        "available": "Байгаа",
        "stockout_30": "Тасалдсан өдөр, 30 хоногт",
        "stockout_90": "Тасалдсан өдөр, 90 хоногт",
        "mpr_generic": "Үнийн харьцаа, ерөнхий нэршлийн",
        "mpr_originator": "Үнийн харьцаа, анхдагч брэнд",
        "basket": "Бүх эм (сагс)",
        "legend": "Тайлбар",
        "legend_figures": (
            "Иргэдийн тоо: байгууллага бүрийн бүлгүүдийн үнэлгээний дундаж, дараа нь "
            "байгууллагуудын дундаж (байгууллага бүр адил жинтэй). Тийм/үгүй асуултад тийм гэсэн "
            "хувь; мөнгө төгрөгөөр. Зөрүү: иргэд хасах үйлчилгээ үзүүлэгч."
        ),
        "legend_plans": (
            "Биелсэн ба хугацаа хэтэрсэн хувь: цуцлаагүй арга хэмжээнүүдээс; хугацаа хэтэрсэн нь "
            "хугацаа өнгөрсөн, хийгдээгүй, цуцлаагүй."
        ),
        "legend_medicines": (
            "Байгаа: шалгасан эмийн сангуудаас тухайн эм нөөцөд байсан, хугацаа нь дуусаагүй "
            "байсан хувь. Үнийн харьцаа: эмийн сан бүрийн хамгийн хямд нэгж үнийг лавлах үнэд "
            "харьцуулсан харьцааны медиан (ДЭМБ/HAI)."
        ),
        "lower_better": "бага нь сайн",
        "approved_only": (
            "Энэ хуудасны онооны тоонд зохицуулагчийн баталсан оноон картууд л орсон."
        ),
        "approved_only_choice": "Зөвхөн батлагдсан оноон карт",
    },
    "en": {
        "title": "Roll-up",
        "unit": "Unit",
        "indicator": "Indicator",
        "facilities": "Facilities",
        "community": "Community",
        "provider": "Provider",
        "monitor": "Monitor",
        "gap": "Gap",
        "plans": "Action plans",
        "actions": "Actions",
        "completion": "Done",
        "overdue": "Overdue",
        "index": "Responsiveness index",
        "index_family": "Responsiveness index: {family}",
        "rounds": "Rounds",
        "hidden": "base under 5",
        "components": {
            "on_time": "Done on time",
            "money": "Money spent / committed",
            "gap_closed": "Gap closed",
            "participation": "Priority groups heard",
        },
        "index_note": (
            "Index (version {version}): 100 × the mean of the components shown; none when "
            "fewer than three are shown. Computed over the rounds this page pools."
        ),
        "period_latest": "Each facility's latest published round",
        "period_held": "Rounds held from {since} to {until}",
        "period_held_from": "Rounds held from {since} on",
        "period_held_until": "Rounds held before {until}",
        "period_campaign": "Campaign: {label}",
        "period_rounds": "{rounds} round(s), held {first} – {last}",
        "period_none": "No round matches this choice.",
        "pick": "Choose a period",
        "since": "From",
        "until": "Until (not included)",
        "by": "By",
        "show": "Show",
        "latest_link": "Latest published rounds",
        "medicines": "Medicine availability and prices",
        "medicine": "Medicine",
        "outlets": "Outlets",
        "available": "Available",
        "stockout_30": "Stock-out days in 30",
        "stockout_90": "Stock-out days in 90",
        "mpr_generic": "Price ratio, lowest generic",
        "mpr_originator": "Price ratio, originator",
        "basket": "All medicines (basket)",
        "legend": "How to read this page",
        "legend_figures": (
            "Community: each facility's mean over its groups' agreed scores, then the mean over "
            "facilities (every facility weighs the same). Yes/no as the percent answering yes; "
            "money in tögrög. Gap: community minus provider."
        ),
        "legend_plans": (
            "Done and overdue: shares of the actions not dropped; overdue is past its due date, "
            "neither done nor dropped."
        ),
        "legend_medicines": (
            "Available: the share of outlets checked that had the medicine in stock and not "
            "expired. Price ratio: the median over outlets of the lowest unit price found over "
            "the reference price (WHO/HAI)."
        ),
        "lower_better": "lower is better",
        "approved_only": (
            "The scores on this page count only the scorecards a coordinator approved."
        ),
        "approved_only_choice": "Approved scorecards only",
    },
}
