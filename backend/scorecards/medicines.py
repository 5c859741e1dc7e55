"""Tracer medicines of the medicine-availability template, with reference unit prices.

Reference prices are per unit (tablet, capsule, vial, inhaler, bottle, sachet) in tögrög and
serve the median price ratio (a price found divided by its reference price). They are
programme data: a coordinator updates them each round (`tracer_medicine` table).
"""

from __future__ import annotations

from typing import NamedTuple


class TracerMedicine(NamedTuple):
    key: str
    name_mn: str
    name_en: str
    form_mn: str
    form_en: str
    unit_en: str
    reference_price_mnt: int


TRACER_MEDICINES: tuple[TracerMedicine, ...] = (
    TracerMedicine(
        "amoxicillin_tab",
        "Амоксициллин",
        "Amoxicillin",
        "шахмал 500 мг",
        "tablet 500 mg",
        "tablet",
        120,
    ),
    TracerMedicine(
        "amoxicillin_susp",
        "Амоксициллин",
        "Amoxicillin",
        "суспенз 250 мг/5 мл, 100 мл",
        "suspension 250 mg/5 ml, 100 ml",
        "bottle",
        6500,
    ),
    TracerMedicine(
        "metformin", "Метформин", "Metformin", "шахмал 500 мг", "tablet 500 mg", "tablet", 90
    ),
    TracerMedicine(
        "glibenclamide", "Глибенкламид", "Glibenclamide", "шахмал 5 мг", "tablet 5 mg", "tablet", 60
    ),
    TracerMedicine(
        "insulin",
        "Инсулин (хүний, холимог)",
        "Insulin (human, premixed)",
        "тарилгын уусмал 100 ОУН/мл, 10 мл",
        "injection 100 IU/ml, 10 ml",
        "vial",
        28000,
    ),
    TracerMedicine(
        "enalapril", "Эналаприл", "Enalapril", "шахмал 10 мг", "tablet 10 mg", "tablet", 70
    ),
    TracerMedicine(
        "amlodipine", "Амлодипин", "Amlodipine", "шахмал 5 мг", "tablet 5 mg", "tablet", 80
    ),
    TracerMedicine(
        "simvastatin", "Симвастатин", "Simvastatin", "шахмал 20 мг", "tablet 20 mg", "tablet", 150
    ),
    TracerMedicine(
        "salbutamol_inhaler",
        "Сальбутамол",
        "Salbutamol",
        "амьсгалын аэрозоль 100 мкг",
        "inhaler 100 mcg/dose",
        "inhaler",
        9500,
    ),
    TracerMedicine(
        "omeprazole", "Омепразол", "Omeprazole", "капсул 20 мг", "capsule 20 mg", "capsule", 110
    ),
    TracerMedicine(
        "ors",
        "Амны шингэн сэлбэх давс (ORS)",
        "Oral rehydration salts (ORS)",
        "нунтаг, 1 литрт",
        "powder for 1 litre",
        "sachet",
        700,
    ),
    TracerMedicine(
        "zinc", "Цайр", "Zinc sulfate", "шахмал 20 мг", "dispersible tablet 20 mg", "tablet", 100
    ),
    TracerMedicine(
        "oxytocin",
        "Окситоцин",
        "Oxytocin",
        "тарилга 10 ОУН/мл",
        "injection 10 IU/ml",
        "ampoule",
        1200,
    ),
    TracerMedicine(
        "paracetamol", "Парацетамол", "Paracetamol", "шахмал 500 мг", "tablet 500 mg", "tablet", 40
    ),
)
