"""Walking the chains: what `audit_verify` and `audit_anchor` do (AUD-02)."""

from __future__ import annotations

from typing import Any

from amparo.audit.chain import Break, first_break
from amparo.audit.models import AuditChainHead, AuditEvent

#: Rows fetched per round trip while walking a chain; memory stays flat on long chains.
CHUNK = 2000


def current_heads() -> list[dict[str, Any]]:
    """The head of every chain, for off-host copies and backup manifests."""
    return [
        {"chain": chain, "seq": seq, "hash": hash_}
        for chain, seq, hash_ in AuditChainHead.objects.order_by("chain").values_list(
            "chain", "seq", "hash"
        )
    ]


def verify_chains(
    *, chain: str | None = None, anchors: list[dict[str, Any]] | None = None
) -> list[Break]:
    """The first break of each chain (or of `chain` alone); empty when everything verifies.

    Chains that have events but no head, or an anchor but neither, are checked as well: a
    deleted head must not hide its chain.
    """
    anchored = {item["chain"]: (int(item["seq"]), str(item["hash"])) for item in anchors or []}
    heads = {
        key: (seq, hash_)
        for key, seq, hash_ in AuditChainHead.objects.values_list("chain", "seq", "hash")
    }
    keys = set(heads) | set(anchored)
    keys |= set(AuditEvent.objects.values_list("chain", flat=True).distinct())
    if chain is not None:
        keys &= {chain}
    breaks = []
    for key in sorted(keys):
        events = AuditEvent.objects.filter(chain=key).order_by("seq").iterator(chunk_size=CHUNK)
        found = first_break(key, events, head=heads.get(key, (0, "")), anchor=anchored.get(key))
        if found is not None:
            breaks.append(found)
    return breaks
