"""Reading the environment for the settings: one rule for strings, booleans and lists, so every variable
is parsed the same way and a wrong value stops the start with a sentence that names it."""

import os

from django.core.exceptions import ImproperlyConfigured


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if not value:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def cache_settings(url: str) -> dict:
    """The shared cache: Redis at `url`, else the database (the embedded default: `manage.py
    createcachetable`). Never the per-process memory cache: throttles and limits count for all web
    processes at once (issue 12)."""
    if url:
        # a cache that does not answer fails fast rather than holding a web worker
        options = {"socket_connect_timeout": 1, "socket_timeout": 1}
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "grants_office",
            "OPTIONS": options,
        }
    return {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cache",
        "KEY_PREFIX": "grants_office",
    }
