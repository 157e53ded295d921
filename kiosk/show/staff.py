"""Staff exit: the PIN's salted hash, its check, and the rate limit on wrong attempts (pure)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import unicodedata
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

ITERATIONS = 200_000
SCHEME = "pbkdf2_sha256"
HOLD_S = 5.0
"""How long staff hold a still finger in the top-left corner to open the PIN pad."""


MIN_ITERATIONS = 1_000
MAX_ITERATIONS = 5_000_000
"""A hash is checked on the UI thread when staff press OK: 0 iterations crashed the check, and
millions more would freeze the show for seconds. `hash_pin` uses ITERATIONS."""
_DIGITS = frozenset("0123456789")


def normalise_pin(pin: str) -> str:
    """The PIN as the on-screen pad enters it: ASCII digits.

    A Chinese input method types full-width digits (１２３４); NFKC makes them the ASCII ones
    the pad sends, so a PIN made from them can be typed on the pad. Other scripts' digits
    (٤٥٦٧, which `str.isdigit` also accepts) have no key on the pad and are refused.
    """
    pin = unicodedata.normalize("NFKC", pin).strip()
    if not 4 <= len(pin) <= 12 or not set(pin) <= _DIGITS:
        raise ValueError("a PIN is 4 to 12 digits, 0 to 9")
    return pin


def hash_pin(pin: str, *, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    """`pbkdf2_sha256$<iterations>$<salt>$<hex digest>`, for the kiosk's configuration."""
    pin = normalise_pin(pin)
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt.encode(), iterations).hex()
    encoded = f"{SCHEME}${iterations}${salt}${digest}"
    check_hash_format(encoded)
    return encoded


def check_hash_format(encoded: str) -> None:
    """Raise ValueError, saying what is wrong, unless `encoded` is a hash `hash_pin` writes:
    `pbkdf2_sha256$ITERATIONS$SALT$DIGEST`, with a sane iteration count, a salt of printable
    ASCII and a SHA-256 digest in hex."""
    parts = encoded.split("$")
    if len(parts) != 4 or parts[0] != SCHEME:
        raise ValueError(f"not a PIN hash (expected {SCHEME}$iterations$salt$digest)")
    _, iterations, salt, digest = parts
    if not (iterations.isascii() and iterations.isdigit()):
        raise ValueError(f"the PIN hash's iteration count {iterations!r} is not a number")
    if not MIN_ITERATIONS <= int(iterations) <= MAX_ITERATIONS:
        raise ValueError(
            f"the PIN hash's iteration count {int(iterations):,} is outside "
            f"{MIN_ITERATIONS:,} to {MAX_ITERATIONS:,}"
        )
    if not 1 <= len(salt) <= 64 or not (salt.isascii() and salt.isprintable()):
        raise ValueError("the PIN hash's salt must be 1 to 64 printable ASCII characters")
    if len(digest) != 64 or not set(digest) <= set("0123456789abcdef"):
        raise ValueError("the PIN hash's digest must be 64 lower-case hex digits (SHA-256)")


def verify_pin(pin: str, encoded: str) -> bool:
    """Whether `pin` matches the hash, compared in constant time."""
    try:
        check_hash_format(encoded)
        pin = normalise_pin(pin)
    except ValueError:
        return False
    _, iterations, salt, digest = encoded.split("$")
    candidate = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt.encode(), int(iterations))
    return hmac.compare_digest(candidate.hex(), digest)


@dataclass
class PinGate:
    """Checks PINs, refusing every attempt for a while after repeated wrong ones."""

    encoded: str
    free_attempts: int = 3
    first_lock_s: float = 30.0
    max_lock_s: float = 15 * 60.0
    failures: int = 0
    locked_until: float = 0.0
    _lock_s: float = field(default=0.0, repr=False)

    def locked(self, now: float) -> float:
        """Seconds until the next attempt is allowed (0 when it is allowed now)."""
        return max(0.0, self.locked_until - now)

    def attempt(self, pin: str, now: float) -> bool:
        """True when `pin` is right and attempts are allowed; a wrong one counts."""
        # The technician's record of who tried the staff exit (never the digits typed).
        if (wait := self.locked(now)) > 0:
            log.warning("staff PIN not checked: the pad is locked for %.0f s more", wait)
            return False
        if verify_pin(pin, self.encoded):
            self.failures = 0
            self._lock_s = 0.0
            log.info("staff PIN accepted")
            return True
        self.failures += 1
        if self.failures >= self.free_attempts:
            self._lock_s = min(self.max_lock_s, (self._lock_s * 2) or self.first_lock_s)
            self.locked_until = now + self._lock_s
            log.warning(
                "wrong staff PIN (%d in a row); the pad is locked for %.0f s",
                self.failures,
                self._lock_s,
            )
        else:
            log.warning("wrong staff PIN (%d in a row)", self.failures)
        return False
