"""The web app's settings, from `JIXIAO_*` environment variables.

| variable | meaning | default |
|---|---|---|
| `JIXIAO_DATABASE_URL` | the store (storage/database.py) | `./jixiao.db` |
| `JIXIAO_SECRET_KEY` | signs the session cookie | generated once, kept in a file (below) |
| `JIXIAO_MAX_UPLOAD_MB` | largest upload request | 20 |
| `JIXIAO_COOKIE_SECURE` | send the session cookie over HTTPS only (`1`, `true`) | off |
| `JIXIAO_SESSION_HOURS` | a login lasts this long | 8 |

Without `JIXIAO_SECRET_KEY` the key is generated on first start and kept beside a SQLite
store (`jixiao.db.secret`), else in `~/.config/jixiao/secret.key`, readable by its owner
only, so that logins survive a restart. Several servers behind one address must share a
`JIXIAO_SECRET_KEY`.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path

SECRET_BYTES = 32
DEFAULT_UPLOAD_MB = 20.0
DEFAULT_SESSION_HOURS = 8.0
_TRUE = frozenset({"1", "true", "yes", "on"})
_SQLITE_PREFIX = "sqlite:///"


@dataclass(frozen=True, slots=True)
class Settings:
    """What `create_app` needs. `database_url` None means the store's default (./jixiao.db)."""

    database_url: str | None = None
    secret_key: str | None = None  # None: the stored key (`stored_secret`)
    max_upload_mb: float = DEFAULT_UPLOAD_MB
    cookie_secure: bool = False
    session_hours: float = DEFAULT_SESSION_HOURS

    @classmethod
    def from_environment(cls, **overrides: object) -> Settings:
        """Settings from the environment; keyword arguments (e.g. from the command line) win."""
        environ = os.environ
        settings = cls(
            database_url=environ.get("JIXIAO_DATABASE_URL") or None,
            secret_key=environ.get("JIXIAO_SECRET_KEY") or None,
            max_upload_mb=_positive(environ.get("JIXIAO_MAX_UPLOAD_MB"), DEFAULT_UPLOAD_MB),
            cookie_secure=environ.get("JIXIAO_COOKIE_SECURE", "").strip().lower() in _TRUE,
            session_hours=_positive(environ.get("JIXIAO_SESSION_HOURS"), DEFAULT_SESSION_HOURS),
        )
        chosen = {key: value for key, value in overrides.items() if value is not None}
        return replace(settings, **chosen)  # type: ignore[arg-type]

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * (1 << 20))


def stored_secret(database_url: str) -> str:
    """The session key kept for this store, created (owner-readable only) on first use."""
    path = secret_path(database_url)
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(SECRET_BYTES)
    # O_EXCL: two servers starting together agree on the first key written.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key)
    return key


def secret_path(database_url: str) -> Path:
    """Beside a SQLite file (`jixiao.db.secret`); in the user's config directory otherwise."""
    if database_url.startswith(_SQLITE_PREFIX):
        database = database_url[len(_SQLITE_PREFIX) :].split("?", 1)[0]
        if database and database != ":memory:":
            return Path(database + ".secret")
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "jixiao" / "secret.key"


def _positive(text: str | None, default: float) -> float:
    try:
        value = float(text) if text else default
    except ValueError:
        return default
    return value if value > 0 else default
