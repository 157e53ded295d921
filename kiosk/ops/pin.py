"""`kiosk pin`: the hash of a staff PIN, printed or written into a kiosk.yaml."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from kiosk.ops.paths import APP


def pin_main(pin: str | None, config: str | None) -> int:
    """Ask for the PIN twice when `pin` is None; print its hash, or with `config` write it there
    (`""`: the default configuration)."""
    import unicodedata

    from kiosk.show.staff import hash_pin

    if pin is None:
        pin = getpass.getpass("New staff PIN (4-12 digits): ")
        again = getpass.getpass("Again: ")
        # Full-width digits from an input method are the same PIN (hash_pin normalises them).
        if unicodedata.normalize("NFKC", again) != unicodedata.normalize("NFKC", pin):
            print("the two PINs differ", file=sys.stderr)
            return 1
    try:
        encoded = hash_pin(pin)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    if config is None:
        print(encoded)
        return 0
    from kiosk.content.problems import ContentError
    from kiosk.ops.config import set_pin_hash
    from kiosk.ops.paths import default_config_path

    path = Path(config) if config else default_config_path()
    try:
        set_pin_hash(path, encoded)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{path}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"{path}: staff PIN set; sudo systemctl restart {APP}")
    return 0
