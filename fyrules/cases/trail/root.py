"""One root over the heads of a sharded trail: one hash chain per partition.

When N writers each own a partition of cases (:mod:`fyrules.cases.partition`), each appends
to its own chain, so no writer waits for another's trail. What is published is one value,
the root: the SHA-256 of the canonical JSON ``{"chains": [[chain, index, hash], …]}`` of every
chain's head, in chain order.

Why the root is as tamper-evident as one chain's head: changing, inserting or removing an
entry of chain k either breaks chain k at that entry (found by verifying it) or, if every
later entry of k is rewritten too, changes k's head hash; a changed head, a cut tail (a lower
index), a dropped chain or an added one changes the list the root hashes, and so the root,
unless SHA-256 has a collision. Verifying a store therefore checks every chain from its
genesis and recomputes the root; a root published earlier vouches for every chain up to the
heads it was made from (docs/embedding.md, "Partitioned replay").
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from ..canonical import canonical_json
from .chain import TrailHead


def combined_root(heads: Mapping[int, TrailHead]) -> str:
    """The root of the chains' heads (chain number → head), as 64 lower-case hex digits."""
    body = {"chains": [[chain, heads[chain].index, heads[chain].hash] for chain in sorted(heads)]}
    return hashlib.sha256(canonical_json(body)).hexdigest()
