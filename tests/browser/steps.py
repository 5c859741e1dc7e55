"""Steps a person takes in the console, in either language."""

from __future__ import annotations

from playwright.sync_api import ConsoleMessage, Page

from backend.seed import DEMO_PASSWORD


def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Fill the sign-in form on the page the browser is on, whichever its language."""
    page.get_by_label("Username").or_(page.get_by_label("Хэрэглэгчийн нэр")).fill(username)
    page.get_by_label("Password").or_(page.get_by_label("Нууц үг")).fill(password)
    button = page.get_by_role("button", name="Sign in")
    button.or_(page.get_by_role("button", name="Нэвтрэх")).click()


def watch_policy(page: Page) -> list[str]:
    """Messages of scripts or styles the Content-Security-Policy refused, or script errors."""
    refused: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            refused.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: refused.append(str(error)))
    return refused
