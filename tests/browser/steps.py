"""Steps a person takes in the console, in either language."""

from __future__ import annotations

from playwright.sync_api import ConsoleMessage, Page, expect

from backend.seed import DEMO_PASSWORD
from tests.browser.conftest import shoot

FAILED_LOAD = "Failed to load resource"


def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Fill the sign-in form on the page the browser is on, whichever its language."""
    page.get_by_label("Username").or_(page.get_by_label("Хэрэглэгчийн нэр")).fill(username)
    page.get_by_label("Password").or_(page.get_by_label("Нууц үг")).fill(password)
    button = page.get_by_role("button", name="Sign in")
    button.or_(page.get_by_role("button", name="Нэвтрэх")).click()


def watch_policy(page: Page) -> list[str]:
    """Messages of scripts or styles the Content-Security-Policy refused, or script errors.

    The browser also reports here an answer of 4xx that the walk asked for (a refused form, a
    refused screen); those name their address, so `policy_errors` can tell them apart."""
    refused: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            text = message.text
            if text.startswith(FAILED_LOAD):
                text = f"{text} <{message.location.get('url', '')}>"
            refused.append(text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: refused.append(str(error)))
    return refused


# the language form at the top right of every console screen, in the language it is shown in
_LANGUAGE = {"mn": ("Хэл", "Хэл солих"), "en": ("Language", "Change language")}
OTHER = {"mn": "en", "en": "mn"}
LANGUAGE_NAMES = {"mn": "Монгол", "en": "English"}


def language_of(page: Page) -> str:
    """The language the screen is shown in (`<html lang>`)."""
    return page.locator("html").get_attribute("lang") or ""


def switch_language(page: Page, to: str) -> None:
    """Choose the language with the form at the top right; the same screen comes back in it."""
    label, button = _LANGUAGE[language_of(page)]
    page.get_by_label(label, exact=True).select_option(to)
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", to)


def shoot_both(page: Page, name: str) -> None:
    """A picture of the screen in its language, then in the other (switched with the language
    form, which brings back the screen's path), and back to the first language."""
    first = language_of(page)
    shoot(page, f"{name}-{first}")
    switch_language(page, OTHER[first])
    shoot(page, f"{name}-{OTHER[first]}")
    switch_language(page, first)


def shoot_report_both(page: Page, name: str) -> None:
    """A report page (the scorecard, the area page) in its language, then in the other through
    its own language link at the top right (the page is left in the other language)."""
    first = language_of(page)
    shoot(page, f"{name}-{first}")
    other = OTHER[first]
    page.get_by_role("link", name=LANGUAGE_NAMES[other], exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", other)
    shoot(page, f"{name}-{other}")


def overflow(page: Page) -> int:
    """How far the page is wider than the window (0: nothing to scroll sideways)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def policy_errors(refused: list[str]) -> list[str]:
    """What `watch_policy` heard, less the answers of 4xx (a page, not a script or a style)."""
    return [message for message in refused if not message.startswith(FAILED_LOAD)]


def failed_loads(refused: list[str]) -> list[str]:
    """The addresses (path and query) whose answer the browser reported as failed."""
    found = []
    for message in refused:
        if message.startswith(FAILED_LOAD) and "<" in message:
            url = message.rsplit("<", 1)[1].rstrip(">")
            found.append("/" + url.split("/", 3)[3] if url.count("/") >= 3 else url)
    return found
