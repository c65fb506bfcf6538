"""Environment variables and checks of the settings of a session."""

from __future__ import annotations

import ipaddress
import math

from .errors import ConfigurationError

API_KEY_VARIABLE = "CITRINE_API_KEY"
HOST_VARIABLE = "CITRINE_API_HOST"


def check_scheme(scheme: str) -> str:
    if scheme not in ("https", "http"):
        raise ConfigurationError(f"invalid scheme {scheme!r}: use 'https' or 'http'")
    return scheme


def check_host(host: str) -> str:
    host = host.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if "://" in host:
        raise ConfigurationError(
            f"invalid host {host!r}: give the host name alone, such as "
            "'example.com', and the scheme and port as scheme= and port="
        )
    if not host or any(char in host for char in "/?#@ \t\r\n"):
        raise ConfigurationError(
            f"invalid host {host!r}: give a host name or IP address alone, "
            "without path, user or spaces"
        )
    return host


def check_port(port: int | None) -> int | None:
    if port is None:
        return None
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise ConfigurationError(f"invalid port {port!r}: use an integer in 1..65535")
    return port


def check_timeout(timeout: float | tuple[float, float]) -> tuple[float, float]:
    values = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    if len(values) != 2 or not all(
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
        for value in values
    ):
        raise ConfigurationError(
            f"invalid timeout {timeout!r}: use a positive number of seconds or a "
            "(connect, read) pair of them"
        )
    return float(values[0]), float(values[1])


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
