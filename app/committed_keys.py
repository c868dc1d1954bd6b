"""Keys that were once committed to this repository: public, so production refuses them.

Each entry is the SHA-256 of a key as Harambee reads it (whitespace and the `dev-` mark
removed), so a copy of an old clone's `var/secret_key` or `var/token_keys` is refused even
once its prefix is cut off. tests/app/test_committed_keys.py reads every version of `var/`
in git's history and fails if one is missing here.
"""

from __future__ import annotations

import hashlib

DEV_SECRET_MARK = "dev-"

COMMITTED_KEY_SHA256 = frozenset({
    # var/secret_key and var/token_keys, committed in ec0024a, untracked since
    "1d3736a499d5236f7faa8dbacd0179cb63295f6a53a607403b55aba24abf11e1",
    "6f144f05c53d279dc6fa2932f05c29a3227ea7d50d5c9576da6d62385e102ee4",
})


def key_digest(value: str) -> str:
    """The digest a key is known by: whitespace and the development mark do not count."""
    key = value.strip()
    key = key.removeprefix(DEV_SECRET_MARK)
    return hashlib.sha256(key.encode()).hexdigest()


def was_committed(value: str) -> bool:
    return key_digest(value) in COMMITTED_KEY_SHA256
