"""Sealed cache entries: what sitegen reads back from a cache is only what it wrote itself.

A site's `.sitegen-cache` lives in a checkout that strangers' pull requests can write to, and
its entries are pickles and compiled templates, which run code when loaded. So every entry
carries an HMAC-SHA-256 tag over its kind, key and bytes, made with a secret that lives outside
the site, in the user's cache folder (`$XDG_CACHE_HOME/sitegen/secret`, mode 0600). An entry
whose tag does not match (planted, damaged, truncated, or moved under another key) is never
unpickled: it counts as a miss. Where no user folder can hold the secret, a secret of this
process alone is used, so the disk cache still works within one build and is never trusted
across builds. Only stdlib imports: the up-to-date check runs before anything heavy loads.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from functools import lru_cache
from pathlib import Path

TAG_SIZE = 32
SECRET_NAME = "secret"
USER_CACHE_ENV = "XDG_CACHE_HOME"


def user_cache_dir() -> Path:
    """sitegen's folder in the user's cache ($XDG_CACHE_HOME/sitegen, default ~/.cache/sitegen)."""
    base = os.environ.get(USER_CACHE_ENV) or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sitegen"


def seal(kind: str, key: str, data: bytes) -> bytes:
    """`data` with a tag in front that only this user's sitegen can make."""
    return _tag(kind, key, data) + data


def unseal(kind: str, key: str, sealed: bytes) -> bytes | None:
    """The data sealed under (kind, key), or None when the tag does not match."""
    if not isinstance(sealed, bytes) or len(sealed) < TAG_SIZE:
        return None
    tag, data = sealed[:TAG_SIZE], sealed[TAG_SIZE:]
    return data if hmac.compare_digest(tag, _tag(kind, key, data)) else None


def _tag(kind: str, key: str, data: bytes) -> bytes:
    h = hmac.new(_secret(), digestmod=hashlib.sha256)  # HMAC-SHA-256: faster than keyed BLAKE2 here
    for part in (kind.encode("utf-8"), key.encode("utf-8", "surrogatepass")):
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    h.update(data)
    return h.digest()


@lru_cache(maxsize=None)
def _secret_for(cache_setting: str, home: str) -> bytes:
    """The secret in the user cache folder that these settings name (the arguments are what
    decides the folder, so that the lookup per entry is cheap)."""
    path = user_cache_dir() / SECRET_NAME
    try:
        return _read_secret(path)
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside, then linked into place: of two builds making it at once, one wins
        # and both read the winner's.
        with tempfile.NamedTemporaryFile(
            dir=path.parent, prefix=".secret-", delete=False
        ) as handle:
            os.chmod(handle.name, 0o600)
            handle.write(secrets.token_bytes(32))
        try:
            os.link(handle.name, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(handle.name)
        return _read_secret(path)
    except OSError:
        return _PROCESS_SECRET


def _read_secret(path: Path) -> bytes:
    data = path.read_bytes()
    if len(data) < 32:
        raise OSError("secret too short")
    return data


def _secret() -> bytes:
    return _secret_for(os.environ.get(USER_CACHE_ENV, ""), os.environ.get("HOME", ""))


_PROCESS_SECRET = secrets.token_bytes(32)
