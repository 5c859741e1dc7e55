"""`scorecard seed` is safe to run twice; `--demo` adds the demo programme and accounts."""

from click.testing import CliRunner

from backend.cli import main


def test_seed_demo_twice_changes_nothing_the_second_time(committed_database_url: str) -> None:
    runner = CliRunner()
    env = {"DATABASE_URL": committed_database_url}
    first = runner.invoke(main, ["seed", "--demo", "--password", "spring-round-1"], env=env)
    assert first.exit_code == 0, first.output
    assert "reference data: 363 areas" in first.output
    for account in (
        "demo_admin",
        "demo_coordinator",
        "demo_facilitator",
        "demo_monitor",
        "demo_provider",
        "demo_viewer",
    ):
        assert f"{account}" in first.output
    assert "password: spring-round-1" in first.output

    second = runner.invoke(main, ["seed", "--demo"], env=env)
    assert second.exit_code == 0, second.output
    assert second.output.count("already there, unchanged") == 6
