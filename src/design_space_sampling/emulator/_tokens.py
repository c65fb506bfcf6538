"""Access tokens: issue them for the API key, check them, revoke them early."""

from __future__ import annotations

import hmac
import math
import secrets
import threading
import time

from design_space_sampling.emulator._jwt import (
    InvalidTokenError,
    decode_token,
    encode_token,
)


class TokenIssuer:
    """Issue HS256 access tokens signed with a secret of this emulator.

    Every token carries a serial number (claim ``jti``), so the tokens issued
    up to a moment can be revoked together while later ones stay valid.
    """

    def __init__(self, api_key: str, subject: str, ttl: float) -> None:
        self._api_key = api_key
        self._subject = subject
        self._ttl = ttl
        self._secret = secrets.token_bytes(32)
        self._lock = threading.Lock()
        self._serial = 0
        self._revoked_through = 0

    def accepts_key(self, candidate: str) -> bool:
        """Return whether ``candidate`` is the API key, in constant time."""
        return hmac.compare_digest(candidate.encode(), self._api_key.encode())

    def issue(self) -> str:
        """Return a new access token that expires ``ttl`` seconds from now.

        ``exp`` is rounded up to a whole second, as most JWT readers expect an
        integer, so a token lives up to one second longer than ``ttl``.
        """
        now = time.time()
        with self._lock:
            self._serial += 1
            serial = self._serial
        claims = {
            "sub": self._subject,
            "iat": int(now),
            "exp": math.ceil(now + self._ttl),
            "jti": str(serial),
            "iss": "design-space-sampling-emulator",
        }
        return encode_token(claims, self._secret)

    def check(self, token: str) -> None:
        """Raise :class:`InvalidTokenError` unless ``token`` is valid now."""
        claims = decode_token(token, self._secret, now=time.time())
        try:
            serial = int(claims.get("jti", ""))
        except (TypeError, ValueError) as error:
            raise InvalidTokenError("token has no serial number") from error
        with self._lock:
            if serial <= self._revoked_through:
                raise InvalidTokenError("token revoked")

    def revoke_all(self) -> None:
        """Revoke every token issued so far."""
        with self._lock:
            self._revoked_through = self._serial
