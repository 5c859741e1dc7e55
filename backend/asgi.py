"""Entry point for uvicorn workers: build the app from the environment at start."""

from litestar import Litestar

from backend.app import create_app
from backend.settings import Settings
from backend.web.logs import configure_logging


def app_from_env() -> Litestar:
    settings = Settings.from_env()
    configure_logging(log_format=settings.log_format, level=settings.log_level)
    return create_app(settings)
