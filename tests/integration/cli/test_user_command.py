"""`scorecard user create` makes an account that can sign in."""

import asyncio

from click.testing import CliRunner
from sqlalchemy import select

from backend.auth.models import User, UserArea
from backend.cli import main
from backend.database.session import open_database


async def _stored(url: str, username: str) -> tuple[str, list[str]]:
    database = open_database(url)
    try:
        async with database.sessionmaker() as db:
            user = await db.scalar(select(User).where(User.username == username))
            assert user is not None
            areas = list(
                await db.scalars(select(UserArea.area_code).where(UserArea.user_id == user.id))
            )
            return user.role, sorted(areas)
    finally:
        await database.dispose()


def test_user_create_stores_role_and_areas(committed_database_url: str) -> None:
    runner = CliRunner()
    env = {"DATABASE_URL": committed_database_url}
    args = [
        "user",
        "create",
        "--username",
        "oyun",
        "--password",
        "field-season-2026",
        "--role",
        "coordinator",
        "--area",
        "MN-046",
        "--area",
        "MN-043",
    ]
    result = runner.invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    assert "created coordinator oyun" in result.output
    assert asyncio.run(_stored(committed_database_url, "oyun")) == (
        "coordinator",
        ["MN-043", "MN-046"],
    )

    again = runner.invoke(main, args, env=env)
    assert again.exit_code != 0
    assert "user.username_taken" in again.output


def test_user_create_refuses_an_unknown_area(committed_database_url: str) -> None:
    result = CliRunner().invoke(
        main,
        [
            "user",
            "create",
            "--username",
            "bat",
            "--password",
            "field-season-2026",
            "--role",
            "monitor",
            "--area",
            "MN-999",
        ],
        env={"DATABASE_URL": committed_database_url},
    )
    assert result.exit_code != 0
    assert "MN-999" in result.output
