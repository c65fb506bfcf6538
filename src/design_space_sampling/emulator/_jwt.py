"""Issue and check HS256 JSON Web Tokens with the standard library only.

The emulator signs its access tokens with a secret that lives as long as the
emulator, so a token from one emulator is rejected by another. Only the
compact serialization with the ``HS256`` algorithm is supported.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

from design_space_sampling._guards import is_json_object

_HEADER = {"alg": "HS256", "typ": "JWT"}


class InvalidTokenError(Exception):
    """A token is malformed, carries a bad signature or has expired."""


def _encode_segment(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode_segment(segment: str) -> bytes:
    padding = "=" * (-len(segment) % 4)
    try:
        return base64.urlsafe_b64decode(segment + padding)
    except (binascii.Error, ValueError) as error:
        raise InvalidTokenError("token segment is not base64url") from error


def _sign(signing_input: bytes, secret: bytes) -> str:
    digest = hmac.new(secret, signing_input, hashlib.sha256).digest()
    return _encode_segment(digest)


def encode_token(claims: dict[str, Any], secret: bytes) -> str:
    """Return a signed HS256 token carrying ``claims``."""
    header = _encode_segment(json.dumps(_HEADER, separators=(",", ":")).encode())
    payload = _encode_segment(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode("ascii")

    return f"{header}.{payload}.{_sign(signing_input, secret)}"


def decode_token(token: str, secret: bytes, *, now: float) -> dict[str, Any]:
    """Check the signature and expiry of ``token`` and return its claims.

    Args:
        token: The compact token, three base64url segments joined by dots.
        secret: The key the token must be signed with.
        now: The current time in seconds since the Unix epoch.

    Raises:
        InvalidTokenError: The token is malformed, its signature does not match
            ``secret``, its algorithm is not HS256, or ``exp`` is not after
            ``now``.
    """
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidTokenError("token does not have three segments")
    header_segment, payload_segment, signature = parts
    try:
        signing_input = f"{header_segment}.{payload_segment}".encode("ascii")
    except UnicodeEncodeError as error:
        raise InvalidTokenError("token is not ASCII") from error
    if not hmac.compare_digest(_sign(signing_input, secret), signature):
        raise InvalidTokenError("token signature does not match")

    try:
        header = json.loads(_decode_segment(header_segment))
        claims = json.loads(_decode_segment(payload_segment))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidTokenError("token segment is not JSON") from error
    if not is_json_object(header) or header.get("alg") != "HS256":
        raise InvalidTokenError("token algorithm is not HS256")
    if not is_json_object(claims):
        raise InvalidTokenError("token payload is not a JSON object")

    expiry = claims.get("exp")
    if isinstance(expiry, bool) or not isinstance(expiry, (int, float)):
        raise InvalidTokenError("token has no numeric exp claim")
    if expiry <= now:
        raise InvalidTokenError("token expired")

    return claims
