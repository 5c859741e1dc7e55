"""The spellings of an area's name, and the reference geography read from the shipped table."""

from collections import Counter
from hashlib import sha256
from importlib import resources

from backend.areas.reference import REFERENCE_AREAS, reference_areas
from backend.areas.spellings import aliases, distinct, folded, romanised


def test_romanisation_follows_mns_5217() -> None:
    assert romanised("Хөвсгөл") == "Khövsgöl"
    assert romanised("Баян-Өлгий") == "Bayan-Ölgii"  # й is i
    assert romanised("Жаргалант") == "Jargalant"  # ж is j
    assert romanised("Есөнбулаг") == "Yesönbulag"
    assert romanised("Цагааннуур") == "Tsagaannuur"


def test_aliases_add_the_romanisation_and_what_people_type() -> None:
    spelt = aliases("Хөвсгөл", "Khuvsgul")
    assert spelt == ["Khövsgöl", "Khovsgol"]  # Khuvsgul is the name itself
    assert "Bayan-Ulgii" in aliases("Баян-Өлгий", "Bayan-Ölgii")


def test_aliases_are_distinct_case_aside_and_leave_out_the_names() -> None:
    spelt = aliases("Увс", "Uvs", "UVS", "Ubsa", "ubsa")
    assert spelt == ["Ubsa"]
    assert distinct(["Tes", "TES", "tes", "Tesiin"], besides=["tesiin"]) == ["Tes"]


def test_folding_ignores_case_diacritics_and_punctuation_but_not_letters() -> None:
    assert folded("Khövsgöl") == folded("KHOVSGOL") == folded("khovsgol")
    assert folded("Bayan-Ölgii") == folded("bayan olgii")
    assert folded("Увс") == folded("УВС")
    assert folded("Хөвсгөл") != folded("Ховсгол")
    assert folded("Khuvsgul") != folded("Khovsgol")


def test_the_shipped_table_is_the_reference_file_as_published() -> None:
    table = resources.files("backend.areas") / "data" / "mn_soums.csv"
    digest = sha256(table.read_bytes()).hexdigest()
    # SOURCES.md: the sha256 of the file the build produced
    assert digest == "7a7ecf34bc2145d7889b0229fbc65c140704b897bf0b9abbff9369a224059448"


def test_reference_areas_are_every_soum_and_district_with_their_codes() -> None:
    areas = reference_areas()
    assert Counter(area.level for area in areas) == {
        "country": 1,
        "aimag": 21,
        "capital": 1,
        "district": 9,
        "soum": 331,
    }
    assert len({area.code for area in areas}) == len(areas)
    by_code = {area.code: area for area in areas}
    tes = by_code["MN-046-18546"]
    assert (tes.parent, tes.name_mn, tes.name_en, tes.nso_code, tes.pcode) == (
        "MN-046",
        "Тэс",
        "Tes",
        "18546",
        "MN8546",
    )
    assert by_code["MN-046-18501"].name_en == "Ulaangom"
    uvs = by_code["MN-046"]
    assert (uvs.nso_code, uvs.pcode, uvs.iso_code) == ("185", "MN85", "MN-046")
    assert (by_code["MN-1"].nso_code, by_code["MN-1"].pcode) == ("511", "MN11")
    songino = by_code["MN-1-SK"]
    assert (songino.nso_code, songino.pcode) == ("51116", "MN1116")
    assert {area.code for area in areas if area.level == "soum" and area.pcode is None} == {
        "MN-071-18337",
        "MN-071-18340",
    }
    assert all(area.nso_code for area in areas if area.level in {"aimag", "district", "soum"})


def test_reference_areas_keep_every_code_and_spelling_written_by_hand() -> None:
    by_code = {area.code: area for area in reference_areas()}
    for written in REFERENCE_AREAS:
        loaded = by_code[written.code]
        assert (loaded.level, loaded.parent, loaded.name_mn, loaded.name_en) == (
            written.level,
            written.parent,
            written.name_mn,
            written.name_en,
        )
        assert set(written.aliases) <= set(loaded.aliases)
    assert {"Khuvsgul", "Khovsgol"} <= set(by_code["MN-041"].aliases)


def test_each_parent_comes_before_its_children() -> None:
    seen: set[str] = set()
    for area in reference_areas():
        assert area.parent is None or area.parent in seen, area.code
        seen.add(area.code)
