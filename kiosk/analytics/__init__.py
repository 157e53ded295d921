"""Visitor analytics, pure Python: the recorder, the database format and the statistics.

No Qt here: the HTML report that draws these statistics lives in `kiosk.ui.report`.
"""
