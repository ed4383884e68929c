"""Bearer tokens of the web adapter: a token file that holds only their hashes.

``fyrules token add FILE --role ROLE [--dept D]`` creates a token and prints it once; the file
keeps its id, role, departments and the SHA-256 of the token. A token is 256 random bits
(``secrets``), so a fast hash is enough: nothing can be guessed from it, and a slow hash would
only slow every request down. The file is JSON::

    {"version": 1, "tokens": [{"id": "…", "role": "intake", "depts": ["SC"],
                               "sha256": "…"}]}

Roles (design.md): ``intake`` posts events (case-handling systems), ``staff`` reads case
details, ``supervisor`` reads findings across departments. ``depts`` limits a token to those
departments; empty means all. This module needs no web framework.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args

import attrs

Role = Literal["intake", "staff", "supervisor"]
ROLES: tuple[str, ...] = get_args(Role)
PREFIX = "fyr"
FORMAT_VERSION = 1


class TokenFileError(Exception):
    """The token file cannot be read or written; the message is ``中文 / English``."""


@attrs.frozen(slots=True)
class Grant:
    """What a valid token may do: its role and departments (empty: all)."""

    token_id: str
    role: str
    depts: tuple[str, ...] = ()

    def covers(self, dept: str | None) -> bool:
        """Whether the token reaches department ``dept``."""
        return not self.depts or dept in self.depts


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _read(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"version": FORMAT_VERSION, "tokens": []}
    except (OSError, ValueError) as exc:
        raise TokenFileError(
            f"{path}：无法读取令牌文件（{exc}） / {path}: cannot read the token file ({exc})"
        ) from None
    tokens = doc.get("tokens") if isinstance(doc, dict) else None
    if not isinstance(tokens, list) or not all(
        isinstance(t, dict)
        and isinstance(t.get("id"), str)
        and isinstance(t.get("sha256"), str)
        and t.get("role") in ROLES
        for t in tokens
    ):
        raise TokenFileError(f"{path}：不是 fyrules 令牌文件 / {path}: not a fyrules token file")
    return doc


def add_token(path: str | os.PathLike[str], role: str, depts: tuple[str, ...] = ()) -> str:
    """Create a token with ``role`` (and departments), record its hash in the file at
    ``path`` (created if missing, readable by its owner only) and return the token."""
    if role not in ROLES:
        raise TokenFileError(
            f"未知角色 {role!r}，可用：{', '.join(ROLES)} / unknown role {role!r}; "
            f"use one of {', '.join(ROLES)}"
        )
    target = Path(path)
    doc = _read(target)
    token_id = secrets.token_hex(6)
    token = f"{PREFIX}_{token_id}_{secrets.token_urlsafe(32)}"
    doc["tokens"].append(
        {
            "id": token_id,
            "role": role,
            "depts": sorted(set(depts)),
            "sha256": _digest(token),
        }
    )
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    temporary = target.with_name(target.name + ".tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
    except OSError as exc:
        raise TokenFileError(
            f"{target}：无法写入（{exc.strerror}） / {target}: cannot write ({exc.strerror})"
        ) from None
    return token


class TokenBook:
    """The tokens of a token file, checked in constant time against their hashes."""

    def __init__(self, entries: Mapping[str, Mapping[str, Any]] | None = None):
        self._entries = dict(entries or {})
        self._dummy = _digest(secrets.token_urlsafe(32))

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None) -> TokenBook:
        """The tokens of the file at ``path`` (none when ``path`` is ``None``); a file that is
        missing or is not a token file raises :class:`TokenFileError`."""
        if path is None:
            return cls()
        target = Path(path)
        if not target.is_file():
            raise TokenFileError(f"{target}：令牌文件不存在 / {target}: no such token file")
        return cls({t["id"]: t for t in _read(target)["tokens"]})

    def __len__(self) -> int:
        return len(self._entries)

    def check(self, token: str) -> Grant | None:
        """The grant of ``token``, or ``None`` for a token this book does not hold. The hash
        is compared in constant time, and an unknown id is compared against a dummy, so the
        time taken does not tell which ids exist."""
        parts = token.split("_", 2)
        entry = self._entries.get(parts[1]) if len(parts) == 3 and parts[0] == PREFIX else None
        expected = entry["sha256"] if entry is not None else self._dummy
        if not hmac.compare_digest(_digest(token), expected) or entry is None:
            return None
        return Grant(entry["id"], entry["role"], tuple(entry.get("depts") or ()))
