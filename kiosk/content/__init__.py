"""The content format and its reading: pure Python, the lowest layer (no Qt, nothing above it)."""
