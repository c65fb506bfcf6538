"""Access tokens: reading their expiry, and refreshing them one at a time."""

from __future__ import annotations

import base64
import binascii
import json
import logging
import math
import threading
from collections.abc import Callable

from design_space_sampling._guards import is_json_object

logger = logging.getLogger(__name__)

#: Seconds before a token's ``exp`` at which the session exchanges the API key
#: for a new token. It covers clock skew between client and server and the
#: time a request takes to arrive.
DEFAULT_REFRESH_MARGIN = 30.0

#: Smallest margin used for a short-lived token. A token that lives less than
#: twice the margin gets half its lifetime as margin instead, but never less
#: than this, so that clock skew cannot make a request race the expiry.
MIN_REFRESH_MARGIN = 5.0


def read_jwt_expiry(token: str) -> float | None:
    """Return the ``exp`` claim of a JWT, in seconds since the Unix epoch.

    The signature is not checked: the client only needs to know when to ask
    for a new token, and the server checks the token on every request.

    Returns:
        The expiry, or ``None`` when the token is not a JWT or its payload has
        no finite numeric ``exp``.
    """
    parts = token.split(".")
    if len(parts) != 3:
        return None

    payload = parts[1]
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        claims = json.loads(raw)
    except (binascii.Error, ValueError):
        return None
    if not is_json_object(claims):
        return None

    exp = claims.get("exp")
    if isinstance(exp, bool) or not isinstance(exp, int | float):
        return None
    try:
        expiry = float(exp)
    except OverflowError:
        return None

    return expiry if math.isfinite(expiry) else None


class TokenCache:
    """The current access token, refreshed by one thread at a time.

    A thread that finds the token missing, close to expiry or rejected takes
    the lock and calls ``exchange``. Threads that arrive meanwhile wait on the
    lock and then reuse the token the first thread fetched.

    Args:
        exchange: Trades the API key for a new access token, given the
            caller's deadline; runs under the lock and raises when the key is
            rejected.
        time: Returns the current time in seconds since the Unix epoch.
        margin: Seconds before ``exp`` at which a token counts as expired.
            A token that lives less than twice this long uses half its
            lifetime instead, but at least :data:`MIN_REFRESH_MARGIN`, so a
            short-lived token is not exchanged again before every request.
    """

    def __init__(
        self,
        exchange: Callable[[float | None], str],
        time: Callable[[], float],
        margin: float = DEFAULT_REFRESH_MARGIN,
    ) -> None:
        self._exchange = exchange
        self._time = time
        self._margin = margin
        self._token_margin = margin
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expiry: float | None = None
        self.refresh_count = 0

    def __repr__(self) -> str:
        state = "empty" if self._token is None else "[secure]"
        return f"TokenCache(token={state})"

    @property
    def secrets(self) -> tuple[str, ...]:
        """The current token, if any, for redacting text."""
        return () if self._token is None else (self._token,)

    def get(self, rejected: str | None = None, deadline: float | None = None) -> str:
        """Return a token that is neither close to expiry nor ``rejected``.

        Args:
            rejected: A token the server rejected with ``invalid-token``.
                If the cached token is still that one, it is refreshed; if
                another thread replaced it already, the new one is returned.
            deadline: Absolute monotonic time passed on to ``exchange``.
        """
        with self._lock:
            if self._token is not None and not self._needs_refresh(rejected):
                return self._token

            return self._refresh(deadline)

    def refresh(self, deadline: float | None = None) -> str:
        """Exchange the API key for a new token now, and return it."""
        with self._lock:
            return self._refresh(deadline)

    def _needs_refresh(self, rejected: str | None) -> bool:
        if rejected is not None and self._token == rejected:
            return True
        if self._expiry is None:
            return False

        return self._expiry - self._time() < self._token_margin

    def _refresh(self, deadline: float | None) -> str:
        token = self._exchange(deadline)
        expiry = read_jwt_expiry(token)
        self._token = token
        self._expiry = expiry
        self.refresh_count += 1
        if expiry is None:
            logger.debug("access token has no readable exp claim; using it until a 401")
        else:
            lifetime = expiry - self._time()
            self._token_margin = min(
                self._margin, max(MIN_REFRESH_MARGIN, lifetime / 2)
            )
            logger.debug("access token refreshed; expires in %.0f s", lifetime)

        return token
