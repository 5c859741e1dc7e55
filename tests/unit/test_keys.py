"""Signing keys: made for development, rotated without invalidating tokens in flight."""

import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from backend.auth.keys import load_keys, rotate_development_key
from backend.auth.tokens import InvalidToken, TokenIssuer
from backend.settings import Settings


def _issuer(settings: Settings) -> TokenIssuer:
    return TokenIssuer(load_keys(settings), "scorecard", "scorecard-api", timedelta(minutes=15))


def test_development_key_is_made_once_and_kept(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = load_keys(settings)
    assert (tmp_path / "jwt" / "signing.pem").stat().st_mode & 0o077 == 0
    assert load_keys(settings).signing_kid == first.signing_kid


def test_rotation_keeps_old_tokens_valid_and_signs_with_the_new_key(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    before = _issuer(settings)
    user, session = uuid.uuid4(), uuid.uuid4()
    old_token, _ = before.issue(user_id=user, device_id=None, session_id=session)

    new_kid = rotate_development_key(settings)
    after = _issuer(settings)
    assert after.keys.signing_kid == new_kid != before.keys.signing_kid
    assert after.verify(old_token).user_id == user
    new_token, _ = after.issue(user_id=user, device_id=None, session_id=session)
    with pytest.raises(InvalidToken):
        before.verify(new_token)  # a server that never saw the new key refuses it
