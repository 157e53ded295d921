"""Rendering slides to PNG without a window: for curators' review and for the tests."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import shiboken6
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from kiosk.content.loader import Deck
from kiosk.content.model import SlideBase
from kiosk.content.theme import Theme, load_theme, visitor_theme
from kiosk.ops.progress import Progress
from kiosk.ui.base import SETTLED
from kiosk.ui.draw.text import draw_text
from kiosk.ui.fonts import ui_font
from kiosk.ui.slides import create_view


def render_slide(
    deck: Deck,
    slide: SlideBase,
    size: tuple[int, int],
    lang: str,
    *,
    elapsed: float = SETTLED,
    theme: Theme | None = None,
) -> QImage:
    """The slide at `elapsed` seconds into its entry (settled by default), as an image, in
    `theme` (the deck's own by default)."""
    view = create_view(deck, slide, lang=lang, theme=theme)
    try:
        view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        view.resize(*size)
        view.show()  # lays out child widgets (charts) at the final size
        view.set_elapsed(elapsed)
        image = QImage(size[0], size[1], QImage.Format.Format_RGB32)
        view.render(image)
        return image
    finally:
        view.close()
        # Freed now, with its plot widgets and pixmaps: `kiosk render` runs no event loop, so a
        # deleteLater would keep every rendered slide alive until the process ends.
        shiboken6.delete(view)


def contact_sheet(
    images: Sequence[tuple[str, QImage]],
    *,
    columns: int = 4,
    thumb_width: int = 480,
    theme: Theme | None = None,
) -> QImage:
    """All slides as thumbnails in a grid, each with its number and id."""
    theme = theme or load_theme()
    first = images[0][1]
    thumb_height = round(thumb_width * first.height() / first.width())
    label = 36
    pad = 24
    rows = math.ceil(len(images) / columns)
    sheet = QImage(
        pad + columns * (thumb_width + pad),
        pad + rows * (thumb_height + label + pad),
        QImage.Format.Format_RGB32,
    )
    sheet.fill(QColor(theme.colors.panel))
    painter = QPainter(sheet)
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for i, (name, image) in enumerate(images):
            row, col = divmod(i, columns)
            x = pad + col * (thumb_width + pad)
            y = pad + row * (thumb_height + label + pad)
            painter.drawImage(QRectF(x, y, thumb_width, thumb_height), image)
            draw_text(
                painter,
                QRectF(x, y + thumb_height + 4, thumb_width, label - 4),
                f"{i + 1:02d}  {name}",
                ui_font(20),
                theme.colors.muted,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            )
    finally:
        painter.end()
    return sheet


def render_deck(
    deck: Deck,
    out: Path,
    size: tuple[int, int],
    lang: str,
    *,
    sheet: bool = True,
    progress: Progress | None = None,
    larger: bool = False,
    contrast: bool = False,
) -> list[Path]:
    """Write `NN-<id>.png` for every slide (and `contact-sheet.png`) into `out`, telling
    `progress` before each image; `larger` and `contrast` as the visitor's controls set them
    (text ×1.3; the high-contrast theme)."""
    theme = visitor_theme(deck.settings.theme, larger=larger, contrast=contrast)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    images: list[tuple[str, QImage]] = []
    total = len(deck.slides) + (1 if sheet and deck.slides else 0)
    for index, slide in enumerate(deck.slides, start=1):
        if progress is not None:
            progress(f"rendering {slide.id}", index - 1, total)
        image = render_slide(deck, slide, size, lang, theme=theme)
        path = out / f"{index:02d}-{slide.id}.png"
        if not image.save(str(path)):
            raise OSError(f"could not write {path}")
        written.append(path)
        images.append((slide.id, image))
    if sheet and images:
        if progress is not None:
            progress("rendering the contact sheet", len(images), total)
        path = out / "contact-sheet.png"
        if not contact_sheet(images, theme=theme).save(str(path)):
            raise OSError(f"could not write {path}")
        written.append(path)
    if progress is not None:
        progress("rendered", total, total)
    return written
