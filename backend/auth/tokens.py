"""Access tokens (JWT). The only module that imports python-jose."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from jose import jwt
from jose.exceptions import JOSEError

from backend.auth.keys import KeySet

# The one algorithm we sign with and the only one we accept: no "none", no HS* with a public key.
ALGORITHM = "ES256"
ALLOWED_ALGORITHMS = (ALGORITHM,)


class InvalidToken(Exception):
    """The token is malformed, forged, expired or not for us."""


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    device_id: uuid.UUID | None
    session_id: uuid.UUID
    token_id: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class TokenIssuer:
    keys: KeySet
    issuer: str
    audience: str
    lifetime: timedelta

    def issue(
        self, *, user_id: uuid.UUID, device_id: uuid.UUID | None, session_id: uuid.UUID
    ) -> tuple[str, int]:
        """A signed access token and its lifetime in seconds."""
        now = datetime.now(UTC)
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": str(user_id),
            "iat": int(now.timestamp()),
            "nbf": int(now.timestamp()),
            "exp": int((now + self.lifetime).timestamp()),
            "jti": uuid.uuid4().hex,
            "did": str(device_id) if device_id else None,
            "sid": str(session_id),
        }
        token = jwt.encode(
            claims,
            self.keys.signing_pem,
            algorithm=ALGORITHM,
            headers={"kid": self.keys.signing_kid},
        )
        return token, int(self.lifetime.total_seconds())

    def verify(self, token: str) -> AccessClaims:
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") not in ALLOWED_ALGORITHMS:
                raise InvalidToken("algorithm not allowed")
            key = self.keys.verify_pems.get(header.get("kid") or "")
            if key is None:
                raise InvalidToken("unknown key id")
            claims = jwt.decode(
                token,
                key,
                algorithms=list(ALLOWED_ALGORITHMS),
                audience=self.audience,
                issuer=self.issuer,
                options={
                    "require_exp": True,
                    "require_iat": True,
                    "require_sub": True,
                    "require_jti": True,
                    "require_aud": True,
                    "require_iss": True,
                },
            )
            return AccessClaims(
                user_id=uuid.UUID(claims["sub"]),
                device_id=uuid.UUID(claims["did"]) if claims.get("did") else None,
                session_id=uuid.UUID(claims["sid"]),
                token_id=claims["jti"],
                expires_at=datetime.fromtimestamp(claims["exp"], UTC),
            )
        except InvalidToken:
            raise
        except (JOSEError, KeyError, ValueError, TypeError, AttributeError) as exc:
            raise InvalidToken(type(exc).__name__) from exc
