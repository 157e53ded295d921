"""The drawing toolbox every view shares: grid, painting, text, motion and number formats.

`grid` (the 12-column design grid and its bands), `paint` (pixel caches, panels, figure
glyphs, colour mixing), `text` (measuring, fitting, wrapping and drawing text; `TextBlock`),
`motion` (easing, pure Python) and `format` (numbers and dates as each language writes them).
Slide views and the overlay import from here, never from each other.
"""
