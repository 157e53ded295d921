"""Pixel caches are bounded by bytes, evicting the least recently used."""

from __future__ import annotations

from kiosk.ui.cache import ByteLRU


def test_evicts_least_recently_used_by_weight() -> None:
    cache: ByteLRU[bytes] = ByteLRU(10, len)
    cache.put("a", b"xxxx")
    cache.put("b", b"yyyy")
    assert cache.get("a") == b"xxxx"  # "a" is now the most recent
    cache.put("c", b"zzzz")
    assert "b" not in cache
    assert cache.get("a") == b"xxxx"
    assert cache.bytes == 8


def test_one_oversized_item_is_still_kept() -> None:
    cache: ByteLRU[bytes] = ByteLRU(3, len)
    cache.put("big", b"0123456789")
    assert cache.get("big") == b"0123456789"
    cache.put("next", b"ab")
    assert "big" not in cache
    assert cache.bytes == 2


def test_replacing_a_key_reweighs_it() -> None:
    cache: ByteLRU[bytes] = ByteLRU(100, len)
    cache.put("k", b"12345")
    cache.put("k", b"1")
    assert cache.bytes == 1
    assert len(cache) == 1
    cache.clear()
    assert (len(cache), cache.bytes) == (0, 0)
