"""Write endpoints need a bearer token. Only its hash is stored; the token is shown once."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sentinel.store.sqlite import SQLiteStore

_META_KEY = "api_token_sha256"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def ensure_token(store: SQLiteStore, configured: str | None = None) -> str | None:
    """Returns a newly created token (to print once), or None if one already exists or is configured."""
    if configured:
        store.set_meta(_META_KEY, _hash(configured))
        return None
    if store.get_meta(_META_KEY):
        return None
    token = secrets.token_urlsafe(24)
    stored = store.set_meta_if_absent(_META_KEY, _hash(token))
    return token if stored == _hash(token) else None


def rotate_token(store: SQLiteStore) -> str:
    token = secrets.token_urlsafe(24)
    store.set_meta(_META_KEY, _hash(token))
    return token


def check_token(store: SQLiteStore, presented: str | None) -> bool:
    expected = store.get_meta(_META_KEY)
    if not expected or not presented:
        return False
    return hmac.compare_digest(expected, _hash(presented))
