"""Small pure helpers that turn environment variable values into settings.

They take plain strings (not ``os.environ``) so tests can call them directly.
"""

from __future__ import annotations

from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(value: str | None, default: bool = False, name: str = "value") -> bool:
    """Read a boolean: 1/true/yes/on or 0/false/no/off (any case); None gives ``default``."""
    if value is None:
        return default
    normalised = value.strip().lower()
    if normalised in _TRUE:
        return True
    if normalised in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}"
    )


def env_list(value: str | None, default: list[str] | None = None) -> list[str]:
    """Read a comma-separated list, dropping blanks; None gives ``default``."""
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(value: str | None, default: int, name: str = "value") -> int:
    """Read an integer; None or an empty string gives ``default``."""
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer; got {value!r}") from None


def database_from_url(url: str, conn_max_age: int = 0) -> dict[str, Any]:
    """Turn a ``DATABASE_URL`` (``sqlite:///path``, ``postgres://user@host/db``, ...)
    into a Django ``DATABASES`` entry."""
    try:
        return dict(dj_database_url.parse(url, conn_max_age=conn_max_age))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL could not be parsed: {exc}") from exc


def proxy_ssl_header(value: str | None) -> tuple[str, str] | None:
    """Read ``DJANGO_SECURE_PROXY_SSL_HEADER`` as ``HEADER,value``.

    ``HTTP_X_FORWARDED_PROTO,https`` gives ``("HTTP_X_FORWARDED_PROTO", "https")``;
    unset or empty gives None (Django's default: trust no proxy header).
    """
    parts = env_list(value)
    if not parts:
        return None
    if len(parts) != 2:
        raise ImproperlyConfigured(
            "DJANGO_SECURE_PROXY_SSL_HEADER must look like 'HTTP_X_FORWARDED_PROTO,https'; "
            f"got {value!r}"
        )
    return parts[0], parts[1]
