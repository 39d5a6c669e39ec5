"""RFC 9162 leaf and node hashes, the chain hash, and an incremental Merkle frontier."""

from __future__ import annotations

import hashlib

ZERO = bytes(32)
EMPTY_ROOT = hashlib.sha256(b"").digest()

# SHA-256 states that have absorbed the one-byte prefix: copying one is cheaper than starting
# a new hash, and they are never updated themselves (the verifier copies them too)
LEAF_STATE = hashlib.sha256(b"\x00")
NODE_STATE = hashlib.sha256(b"\x01")


def leaf_hash(data: bytes) -> bytes:
    """SHA-256(0x00 || data)."""
    h = LEAF_STATE.copy()
    h.update(data)
    return h.digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    h = NODE_STATE.copy()
    h.update(left)
    h.update(right)
    return h.digest()


def chain_hash(previous: bytes, leaf: bytes) -> bytes:
    """SHA-256(previous chain hash || leaf hash); the previous of entry 0 is 32 zero bytes."""
    return hashlib.sha256(previous + leaf).digest()


class Frontier:
    """The compact range of a growing tree: O(log n) state, O(log n) per append and per root."""

    __slots__ = ("_size", "_stack")

    def __init__(self) -> None:
        self._size = 0
        # _stack[i] is the root of a perfect subtree; sizes are the set bits of _size, largest first
        self._stack: list[bytes] = []

    @property
    def size(self) -> int:
        """Leaves appended so far."""
        return self._size

    def append(self, leaf: bytes) -> None:
        """Add one leaf hash."""
        node = leaf
        size = self._size
        stack = self._stack
        while size & 1:
            h = NODE_STATE.copy()
            h.update(stack.pop())
            h.update(node)
            node = h.digest()
            size >>= 1
        stack.append(node)
        self._size += 1

    def root(self) -> bytes:
        """The RFC 9162 root of the leaves appended so far."""
        stack = self._stack
        if not stack:
            return EMPTY_ROOT
        node = stack[-1]
        for index in range(len(stack) - 2, -1, -1):
            h = NODE_STATE.copy()
            h.update(stack[index])
            h.update(node)
            node = h.digest()
        return node

    def copy(self) -> Frontier:
        """An independent copy."""
        other = Frontier()
        other._size = self._size
        other._stack = list(self._stack)
        return other
