"""The three-way merge, field by field, without a database."""

from backend.sync.merge import FieldConflict, Policy, merge_record

POLICIES = {
    "attendance": Policy.COUNTS,
    "priorities": Policy.SET,
    "status": Policy.LIFECYCLE,
    "answers": Policy.PER_KEY,
}
RANK = {"status": {"planned": 0, "held": 1, "closed": 2}}


def _merge(server, base, changes):  # type: ignore[no-untyped-def]
    return merge_record(
        server=server, base=base, changes=changes, policies=POLICIES, lifecycle_rank=RANK
    )


def test_a_field_only_the_device_changed_takes_the_device_value() -> None:
    result = _merge(
        {"notes": "a", "venue": "hall"}, {"notes": "a", "venue": "hall"}, {"notes": "b"}
    )
    assert result.values == {"notes": "b"}
    assert result.conflicts == []


def test_a_field_only_the_server_changed_keeps_the_server_value() -> None:
    result = _merge({"venue": "school gym"}, {"venue": "hall"}, {"venue": "hall"})
    assert result.values == {}
    assert result.conflicts == []


def test_both_changed_text_opens_a_conflict_and_keeps_the_server_value() -> None:
    result = _merge({"notes": "server"}, {"notes": "base"}, {"notes": "device"})
    assert result.values == {}
    assert result.conflicts == [FieldConflict("notes", "base", "server", "device")]


def test_both_changed_to_the_same_value_is_no_conflict() -> None:
    result = _merge({"notes": "same"}, {"notes": "base"}, {"notes": "same"})
    assert (result.values, result.conflicts) == ({}, [])


def test_counts_add_both_sides_differences() -> None:
    base = {"attendance": {"community_female": 10, "community_male": 8}}
    server = {"attendance": {"community_female": 12, "community_male": 8}}
    device = {"attendance": {"community_female": 10, "community_male": 11, "officials": 2}}
    result = _merge(server, base, device)
    assert result.values == {
        "attendance": {"community_female": 12, "community_male": 11, "officials": 2}
    }
    assert result.merged


def test_sets_apply_both_sides_additions_and_removals() -> None:
    base = {"priorities": ["toilets", "textbooks"]}
    server = {"priorities": ["toilets", "textbooks", "heating"]}
    device = {"priorities": ["textbooks", "complaints"]}
    result = _merge(server, base, device)
    assert result.values == {"priorities": ["textbooks", "heating", "complaints"]}


def test_lifecycle_only_moves_forward() -> None:
    forward = _merge({"status": "held"}, {"status": "planned"}, {"status": "closed"})
    assert forward.values == {"status": "closed"}
    backward = _merge({"status": "closed"}, {"status": "planned"}, {"status": "held"})
    assert (backward.values, backward.conflicts) == ({}, [])


def test_answers_merge_per_indicator() -> None:
    base = {"answers": {"a": {"value": 1}, "b": {"value": 2}}}
    server = {"answers": {"a": {"value": 3}, "b": {"value": 2}}}
    device = {"answers": {"a": {"value": 4}, "b": {"value": 5}}}
    result = _merge(server, base, device)
    assert result.values == {"answers": {"a": {"value": 3}, "b": {"value": 5}}}
    assert result.conflicts == [
        FieldConflict("answers.a", {"value": 1}, {"value": 3}, {"value": 4})
    ]
