"""Evidence photos for the demo rounds, drawn rather than shipped: a school's notice board with
its budget, a pharmacy's stock card and price list, a health centre's tariff board.

They go through the same cleaning as a tablet's upload and are stored as attachments, and the
demo submissions mention them, so the demo scorecard page shows evidence beside indicators.
"""

from __future__ import annotations

import hashlib
import io
import uuid

from PIL import Image, ImageDraw
from sqlalchemy.ext.asyncio import AsyncSession

from backend.attachments import uploads
from backend.attachments.storage import Store

# (background, ink, title, rows of the board)
BOARDS = {
    "notice_board": ((236, 226, 200), (40, 40, 90), "SCHOOL BUDGET 2026", 9),
    "stock_card": ((250, 250, 244), (20, 60, 20), "STOCK CARD - INSULIN", 12),
    "price_list": ((255, 244, 214), (120, 30, 30), "PRICE LIST", 14),
    "tariff_board": ((220, 236, 250), (10, 50, 110), "INSURANCE TARIFFS", 8),
}
# which answers in a demo round carry which photos: family -> [(respondent, indicator, boards)]
EVIDENCE = {
    "parent_engagement": [("monitor", "budget_published", ["notice_board"])],
    "medicine_availability": [
        ("monitor", "tracer_check", ["stock_card"]),
        ("monitor", "price_list_displayed", ["price_list"]),
    ],
    "health_insurance": [("community", "official_copay", ["tariff_board"])],
}


def draw(name: str) -> bytes:
    background, ink, title, rows = BOARDS[name]
    image = Image.new("RGB", (960, 720), (90, 70, 50))  # the wall
    board = ImageDraw.Draw(image)
    board.rectangle((80, 60, 880, 660), fill=background, outline=ink, width=6)
    board.text((120, 90), title, fill=ink, font_size=44)
    for row in range(rows):
        y = 170 + row * (440 // rows)
        board.line((120, y, 840, y), fill=ink, width=2)
        board.text((130, y + 6), f"{row + 1:>2}", fill=ink, font_size=22)
        board.rectangle((640, y + 8, 640 + 15 * ((row * 7) % 13 + 3), y + 22), fill=ink)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


async def store_boards(db: AsyncSession, store: Store, uploaded_by: uuid.UUID) -> dict[str, str]:
    """Every board as a stored attachment; returns board name -> sha256."""
    hashes = {}
    for name in BOARDS:
        raw = draw(name)
        sha = hashlib.sha256(raw).hexdigest()
        await uploads.keep(db, store, sha, raw, uploaded_by=uploaded_by, device_id=None)
        hashes[name] = sha
    return hashes


def evidence_for(family: str, boards: dict[str, str]) -> dict[tuple[str, str], list[str]]:
    """Which answers mention which stored boards; nothing when no boards were stored."""
    return {
        (respondent, key): [boards[name] for name in names]
        for respondent, key, names in EVIDENCE.get(family, [])
        if all(name in boards for name in names)
    }
