"""Liangjiang Kiosk: an exhibition touch-screen show about the Chongqing Liangjiang New Area."""

__version__ = "0.1.0"
