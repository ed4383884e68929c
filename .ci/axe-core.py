#!/usr/bin/env python3
"""Fetch axe-core for the browser suite without Node.js: the tarball of the version that
tests/browser/package-lock.json pins, from the npm registry, checked against the lock file's
sha512 integrity, unpacked into tests/browser/node_modules/axe-core (what `npm ci --prefix
tests/browser` would do). Run by .ci/run; does nothing when that version is already there."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import sys
import tarfile
import urllib.request
from pathlib import Path

BROWSER = Path(__file__).resolve().parent.parent / "tests" / "browser"
REGISTRY = "https://registry.npmjs.org"


def main() -> int:
    lock = json.loads((BROWSER / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/axe-core"]
    version, integrity = pinned["version"], pinned["integrity"]
    target = BROWSER / "node_modules" / "axe-core"
    installed = target / "package.json"
    if installed.exists() and json.loads(installed.read_text(encoding="utf-8"))["version"] == version:
        print(f"axe-core {version} is already in {target}")
        return 0
    url = f"{REGISTRY}/axe-core/-/axe-core-{version}.tgz"
    with urllib.request.urlopen(url, timeout=120) as response:
        data = response.read()
    algorithm, _, expected = integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        print(f"axe-core {version}: {url} does not match the lock file's integrity", file=sys.stderr)
        return 1
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            if not member.isfile() or not member.name.startswith("package/"):
                continue
            destination = target / member.name.removeprefix("package/")
            if target not in destination.resolve().parents:
                continue  # never write outside the package's folder
            destination.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            assert source is not None
            destination.write_bytes(source.read())
    print(f"axe-core {version} fetched from {url} into {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
