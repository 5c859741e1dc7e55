"""`scorecard import`: a report by line, and nothing imported from a file with errors."""

from pathlib import Path

from click.testing import CliRunner

from backend.cli import main


def test_import_areas_refuses_a_bad_file_then_takes_the_good_rows(
    committed_database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "soums.csv"
    path.write_text(
        "code,level,parent_code,name_mn,name_en\n"
        "MN-043-01,soum,MN-043,Жаргалант,Jargalant\n"
        "MN-043-02,soum,MN-404,Алга,Missing parent\n",
        encoding="utf-8",
    )
    env = {"DATABASE_URL": committed_database_url}
    refused = CliRunner().invoke(main, ["import", "areas", str(path)], env=env)
    assert refused.exit_code != 0
    assert "soums.csv: line 3, parent_code: no area MN-404" in refused.output
    assert "nothing imported" in refused.output

    partial = CliRunner().invoke(main, ["import", "areas", str(path), "--skip-bad-rows"], env=env)
    assert partial.exit_code == 0, partial.output
    assert "2 rows: 1 new, 0 updated, 0 unchanged, 1 rejected" in partial.output
