"""Checking a curator's recorded narration: a readable WAV, FLAC or Ogg file, whole, audible.

The bytes come from the one reading function (the loader reads them); this module only looks at
them, with libsndfile (the `soundfile` wheel bundles it), imported when a deck has recordings
so that `kiosk validate` of a deck without any starts as fast as before.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from typing import Any

AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".oga")
MAX_AUDIO_BYTES = 64 * 1024 * 1024
"""About six minutes of CD-quality WAV, an hour of Ogg Vorbis: far more than a slide's
narration, small enough that reading it at every load costs little."""
MAX_AUDIO_SECONDS = 600.0
"""A recording of a slide is a minute or two; ten minutes is a mistake (a whole tour)."""
MIN_AUDIO_SECONDS = 0.2
"""Shorter than a spoken syllable: an empty or cut recording, nothing to hear."""
SAMPLE_RATES = (8_000, 192_000)
MAX_CHANNELS = 8

FORMATS = {"WAV": "WAV", "WAVEX": "WAV", "RF64": "WAV", "FLAC": "FLAC", "OGG": "Ogg"}
"""libsndfile's container names the kiosk plays, as a curator calls them."""
OGG_CODECS = ("VORBIS", "OPUS")
SUFFIX_FORMAT = {".wav": "WAV", ".flac": "FLAC", ".ogg": "Ogg", ".oga": "Ogg"}
KINDS = "WAV, FLAC or Ogg Vorbis"


@dataclass(frozen=True)
class AudioFacts:
    """What a readable recording is: its container, length and whether any sample sounds."""

    format: str
    seconds: float
    samplerate: int
    channels: int
    silent: bool


class AudioProblem(Exception):
    """A recording the kiosk cannot play; `reason` says why, in a curator's words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _wav_declared(data: bytes) -> tuple[int, int] | None:
    """The size a WAV's `data` chunk declares and the bytes the file holds after its header,
    or None when the file is no RIFF WAV or declares no size (a stream written as it went)."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    at = 12
    while at + 8 <= len(data):
        chunk, size = data[at : at + 4], struct.unpack("<I", data[at + 4 : at + 8])[0]
        if chunk == b"data":
            if size in (0, 0xFFFFFFFF):
                return None
            return size, len(data) - at - 8
        at += 8 + size + (size & 1)
    return None


def check_audio(data: bytes, suffix: str) -> AudioFacts:
    """The facts of a recording whose bytes are `data` and whose name ends in `suffix`;
    raise AudioProblem when the kiosk cannot play it whole."""
    if not data:
        raise AudioProblem("the file is empty")
    import soundfile  # noqa: PLC0415 - lazily: libsndfile and numpy only for decks with audio

    try:
        with soundfile.SoundFile(io.BytesIO(data)) as sound:
            container, codec = sound.format, sound.subtype
            frames, rate, channels = sound.frames, sound.samplerate, sound.channels
            kind = FORMATS.get(container)
            if kind is None or (kind == "Ogg" and codec not in OGG_CODECS):
                raise AudioProblem(
                    f"it is {container} {codec} audio; the kiosk plays {KINDS}".replace("_", " ")
                )
            expected = SUFFIX_FORMAT.get(suffix.lower())
            if expected is not None and expected != kind:
                raise AudioProblem(
                    f"it is {kind} audio, but its name ends in {suffix}; name it as what it is"
                )
            declared = _wav_declared(data) if kind == "WAV" else None
            if declared is not None and declared[0] > declared[1]:
                raise AudioProblem(
                    f"it is cut short: its header promises {declared[0]:,} bytes of sound and "
                    f"the file holds {declared[1]:,}"
                )
            if frames <= 0:
                raise AudioProblem("it holds no sound (it is empty, or cut short)")
            _check_declared(frames, rate, channels)
            tail = min(frames, 1024)
            sound.seek(frames - tail)
            if len(sound.read(tail, dtype="int16")) < tail:
                raise AudioProblem("it is cut short: its last part cannot be read")
            silent = _silent(sound)
    except soundfile.LibsndfileError as exc:
        detail = str(exc.error_string).rstrip(".") if exc.error_string else ""
        if "psf_fseek" in detail or "seek" in detail.lower():
            raise AudioProblem("it is cut short: its last part cannot be read") from None
        said = f" ({detail})" if detail else ""
        raise AudioProblem(
            f"it is not a readable audio file{said}; the kiosk plays {KINDS}"
        ) from None
    except (RuntimeError, ValueError, TypeError) as exc:  # soundfile's own refusals
        raise AudioProblem(
            f"it is not a readable audio file ({exc}); the kiosk plays {KINDS}"
        ) from None
    return AudioFacts(kind, frames / rate, rate, channels, silent)


def _check_declared(frames: int, rate: int, channels: int) -> None:
    """Refuse what a recording's header declares before any sample is decoded: a ten-hour
    silence compresses to a few megabytes of FLAC, and would take minutes to read."""
    low, high = SAMPLE_RATES
    if not low <= rate <= high:
        raise AudioProblem(
            f"its sample rate is {rate:,} Hz; the kiosk plays {low:,} to {high:,} Hz"
        )
    if channels > MAX_CHANNELS:
        raise AudioProblem(f"it has {channels} channels; the kiosk plays at most {MAX_CHANNELS}")
    seconds = frames / rate
    if seconds < MIN_AUDIO_SECONDS:
        raise AudioProblem(f"it is {seconds:.2f} s long, too short to hear")
    if seconds > MAX_AUDIO_SECONDS:
        raise AudioProblem(
            f"it is {seconds:,.0f} s long; a slide's recording may be at most "
            f"{MAX_AUDIO_SECONDS:,.0f} s"
        )


def _silent(sound: Any) -> bool:
    """Whether every sample of the open `soundfile.SoundFile` is zero: read from the start
    until one is not (a recording that sounds stops at its first block), so only a silent
    file is read whole."""
    sound.seek(0)
    # As floats: libsndfile hands a float file's samples to an integer read unscaled, so a
    # recording at 0.2 of full scale would read as all zeros.
    return all(not block.any() for block in sound.blocks(blocksize=65536, dtype="float32"))
