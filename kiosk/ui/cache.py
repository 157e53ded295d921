"""A least-recently-used cache bounded by bytes, for decoded images and pre-rendered shapes.

A show that runs for months must not grow: every pixel cache is bounded by what its entries
weigh, not by how many there are (one 4K image weighs as much as a thousand icons).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class ByteLRU(Generic[V]):
    """Maps keys to values, evicting the least recently used once `limit` bytes are held."""

    def __init__(self, limit: int, weigh: Callable[[V], int]) -> None:
        self.limit = limit
        self.weigh = weigh
        self.bytes = 0
        self._items: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def get(self, key: Hashable) -> V | None:
        item = self._items.get(key)
        if item is None:
            return None
        self._items.move_to_end(key)
        return item[0]

    def put(self, key: Hashable, value: V) -> V:
        if key in self._items:
            self.bytes -= self._items.pop(key)[1]
        size = self.weigh(value)
        self._items[key] = (value, size)
        self.bytes += size
        while self.bytes > self.limit and len(self._items) > 1:
            _, (_, dropped) = self._items.popitem(last=False)
            self.bytes -= dropped
        return value

    def clear(self) -> None:
        self._items.clear()
        self.bytes = 0
