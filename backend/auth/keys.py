"""Signing keys for access tokens: loaded from files, generated for development."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from backend.settings import Settings

SIGNING_KEY_NAME = "signing.pem"
RETIRED_DIR = "retired"


@dataclass(frozen=True, slots=True)
class KeySet:
    """The key that signs new tokens and every public key that still verifies, by kid."""

    signing_kid: str
    signing_pem: str
    verify_pems: dict[str, str]


def _public_pem(private_pem: bytes) -> bytes:
    key = serialization.load_pem_private_key(private_pem, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValueError("the JWT signing key must be an EC P-256 private key (ES256)")
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def key_id(public_pem: bytes) -> str:
    key = serialization.load_pem_public_key(public_pem)
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()[:16]


def generate_private_pem() -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def ensure_development_key(settings: Settings) -> Path:
    """The development signing key under the data dir, made on first use."""
    path = settings.jwt_key_dir / SIGNING_KEY_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_bytes(generate_private_pem())
    return path


def rotate_development_key(settings: Settings) -> str:
    """Retire the current development key (it keeps verifying) and make a new one."""
    path = ensure_development_key(settings)
    retired = settings.jwt_key_dir / RETIRED_DIR
    retired.mkdir(exist_ok=True)
    public = _public_pem(path.read_bytes())
    (retired / f"{key_id(public)}.pem").write_bytes(public)
    path.write_bytes(generate_private_pem())
    return key_id(_public_pem(path.read_bytes()))


def load_keys(settings: Settings) -> KeySet:
    signing_path = settings.jwt_signing_key_file or ensure_development_key(settings)
    signing_private = signing_path.read_bytes()
    signing_public = _public_pem(signing_private)
    signing_kid = key_id(signing_public)
    verify: dict[str, str] = {signing_kid: signing_public.decode()}
    retired = list(settings.jwt_verify_key_files)
    if settings.jwt_signing_key_file is None and (settings.jwt_key_dir / RETIRED_DIR).is_dir():
        retired += sorted((settings.jwt_key_dir / RETIRED_DIR).glob("*.pem"))
    for path in retired:
        public = path.read_bytes()
        verify[key_id(public)] = public.decode()
    return KeySet(signing_kid, signing_private.decode(), verify)
