"""Fixtures shared by the test modules."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.show import write_show


@pytest.fixture
def show(tmp_path: Path) -> Path:
    """A small valid content folder to break in tests."""
    return write_show(tmp_path / "show")
