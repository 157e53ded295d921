"""Offline narration: espeak-ng speech and recorded audio, cached as WAV, played by a child."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
import wave
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from kiosk.content.loader import Deck
    from kiosk.content.model import SlideBase, Text
    from kiosk.content.narration import Script
    from kiosk.ops.settings import RunSettings

log = logging.getLogger(__name__)

VOICES: Mapping[str, str] = {"zh": "cmn-latn-pinyin", "en": "en-gb"}
"""espeak-ng's voice for each language of the content. Mandarin is `cmn-latn-pinyin`: the
plain `cmn` voice ("latin as English") reads its own dictionary's pinyin tone digits as
English numbers (你好: "ni three hao three")."""
RATES: Mapping[str, int] = {"zh": 160, "en": 150}
"""Words a minute: a little slower than espeak-ng's 175, for a hall with echo and visitors who
listen in their second language."""
PITCH = 45
"""espeak-ng's pitch, 0-99 (50 is its default): a shade lower is calmer over a hall's speakers."""
NICENESS = 10
"""How far below the show espeak-ng runs (nice): the slides' frames come first."""
SYNTH_TIMEOUT = 60.0
"""Seconds one synthesis may take (espeak-ng speaks a slide in well under one)."""
CLOSE_WAIT = 5.0
"""Seconds `Narrator.close` waits for the worker to finish the script it is on."""
MAX_CACHE_BYTES = 512 * 1024 * 1024
"""The cache's bound: a deck whose audio would pass it gets the first scripts' audio only."""
RECORDED_SUFFIXES = (".wav", ".flac", ".ogg")

INSTALL_HINT = "install Debian's espeak-ng package (sudo apt-get install espeak-ng)"


class SpeechError(Exception):
    """One script could not be made into audio (the others still can)."""


class SpeechUnavailable(SpeechError):
    """No speech engine on this machine: synthesised narration is off, recorded audio plays."""


class ScriptLike(Protocol):
    """What the cache reads of a `kiosk.content.narration.Script`."""

    @property
    def lang(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def audio(self) -> Path | None: ...


# --- the engine ---------------------------------------------------------------------------------


class EspeakEngine:
    """Debian's espeak-ng, run once per script in a child process that writes a WAV file.

    The text goes in on stdin (never through a shell or the argument list, so no text is ever
    read as an option), the run has a timeout, and a missing program is `SpeechUnavailable`.
    """

    def __init__(self, program: str = "espeak-ng", *, timeout: float = SYNTH_TIMEOUT) -> None:
        self.program = program
        self.timeout = timeout
        self._identity: str | None = None
        self._lock = threading.Lock()

    def executable(self) -> str:
        """The program's path; SpeechUnavailable when it is not installed."""
        found = shutil.which(self.program)
        if found is None:
            raise SpeechUnavailable(
                f"{self.program} is not installed, so slides without recorded audio cannot be "
                f"spoken: {INSTALL_HINT}"
            )
        return found

    def identity(self) -> str:
        """The engine's version and settings, part of every cache key: a new espeak-ng or a new
        rate makes new audio instead of playing the old."""
        with self._lock:
            if self._identity is None:
                version = self._run([self.executable(), "--version"], b"").decode(errors="replace")
                words = version.split()
                number = next((w for w in words if w[:1].isdigit()), version.strip())
                self._identity = f"espeak-ng {number} pitch {PITCH} rates {sorted(RATES.items())}"
            return self._identity

    @staticmethod
    def voice(lang: str) -> str:
        """espeak-ng's voice for a content language."""
        try:
            return VOICES[lang]
        except KeyError:
            raise SpeechError(f"no voice for the language {lang!r}") from None

    def synthesise(self, text: str, lang: str, out: Path) -> None:
        """Write `text` spoken in `lang` to the WAV file `out`."""
        command = [
            self.executable(),
            "-v",
            self.voice(lang),
            "-s",
            str(RATES.get(lang, 160)),
            "-p",
            str(PITCH),
            "-b",
            "1",  # the input is UTF-8
            "-w",
            str(out),
            "--stdin",
        ]
        self._run(command, text.replace("\0", " ").encode("utf-8"))
        try:
            size = out.stat().st_size
        except OSError:
            size = 0
        if size <= 44:  # a header and no samples
            raise SpeechError(f"{self.program} wrote no audio for {text[:40]!r}")

    def _run(self, command: list[str], stdin: bytes) -> bytes:
        nice = shutil.which("nice")
        if nice is not None:
            # Below the show: a deck's speech is made while it plays, on the same few cores.
            command = [nice, "-n", str(NICENESS), *command]
        try:
            result = subprocess.run(
                command,
                input=stdin,
                capture_output=True,
                timeout=self.timeout,
                check=False,
            )
        except FileNotFoundError:
            raise SpeechUnavailable(f"{self.program} is not installed: {INSTALL_HINT}") from None
        except subprocess.TimeoutExpired:
            raise SpeechError(f"{self.program} took more than {self.timeout:g} s") from None
        except OSError as exc:
            raise SpeechError(f"cannot run {self.program}: {exc.strerror or exc}") from None
        if result.returncode != 0:
            reason = result.stderr.decode(errors="replace").strip() or f"exit {result.returncode}"
            raise SpeechError(f"{self.program} failed: {reason}")
        return result.stdout


class Engine(Protocol):
    """What the narrator needs of a speech engine (`EspeakEngine`, or a test's)."""

    def identity(self) -> str: ...
    def voice(self, lang: str) -> str: ...
    def synthesise(self, text: str, lang: str, out: Path) -> None: ...


# --- samples ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Audio:
    """16-bit samples, frames × channels, at a rate."""

    samples: npt.NDArray[np.int16]
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate if self.rate else 0.0


def read_wav(path: Path) -> Audio:
    """A PCM WAV file's samples as 16-bit (8-, 24- and 32-bit files converted)."""
    import numpy as np

    try:
        with wave.open(str(path), "rb") as wav:
            channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            raw = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError) as exc:
        raise SpeechError(f"{path.name}: not a PCM WAV file ({exc})") from None
    except OSError as exc:
        raise SpeechError(f"{path.name}: cannot read: {exc.strerror or exc}") from None
    if width == 1:
        data = (np.frombuffer(raw, np.uint8).astype(np.int16) - 128) << 8
    elif width == 2:
        data = np.frombuffer(raw, "<i2").astype(np.int16)
    elif width == 3:
        bytes3 = np.frombuffer(raw, np.uint8).reshape(-1, 3)
        data = (bytes3[:, 2].astype(np.int8).astype(np.int16) << 8) | bytes3[:, 1]
    elif width == 4:
        data = (np.frombuffer(raw, "<i4") >> 16).astype(np.int16)
    else:
        raise SpeechError(f"{path.name}: {width * 8}-bit samples are not supported")
    frames = len(data) // max(channels, 1)
    return Audio(data[: frames * channels].reshape(frames, channels), rate)


def read_audio(path: Path) -> Audio:
    """A recorded file (WAV, FLAC or OGG) as 16-bit samples; FLAC and OGG need soundfile."""
    if path.suffix.lower() == ".wav":
        with contextlib.suppress(SpeechError):
            return read_wav(path)  # a float or compressed WAV falls through to soundfile
    try:
        import soundfile  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise SpeechError(
            f"{path.name}: reading {path.suffix or 'this'} audio needs the soundfile package"
        ) from None
    try:
        # As floats, then to 16 bits: libsndfile hands a float WAV's samples to an integer
        # read unscaled, and a recording at a fifth of full scale would come out silent.
        floats, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (
        RuntimeError,
        OSError,
        ValueError,
    ) as exc:  # soundfile.LibsndfileError is a RuntimeError
        raise SpeechError(f"{path.name}: not a readable audio file ({exc})") from None
    import numpy as np

    data = np.rint(np.clip(floats, -1.0, 1.0) * 32767).astype(np.int16)
    return Audio(data, int(rate))


def scaled(audio: Audio, volume: float) -> Audio:
    """The samples at `volume` (0-1): applied here, so every player honours it alike."""
    import numpy as np

    if volume >= 1.0:
        return audio
    samples = np.clip(np.rint(audio.samples.astype(np.float32) * max(volume, 0.0)), -32768, 32767)
    return Audio(samples.astype(np.int16), audio.rate)


def write_wav(path: Path, audio: Audio) -> None:
    """Write 16-bit PCM atomically: a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".wav", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle, wave.open(handle, "wb") as wav:
            wav.setnchannels(audio.samples.shape[1] if audio.samples.ndim == 2 else 1)
            wav.setsampwidth(2)
            wav.setframerate(audio.rate)
            wav.writeframes(audio.samples.astype("<i2").tobytes())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def rms(audio: Audio) -> float:
    """Root mean square of the samples, 0-32768: how loud the file is on average."""
    import numpy as np

    if not audio.samples.size:
        return 0.0
    return float(np.sqrt(np.mean(np.square(audio.samples.astype(np.float64)))))


# --- the cache ----------------------------------------------------------------------------------


def _digest(parts: Mapping[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


class SpeechCache:
    """WAV files named by the hash of what made them: text, voice, engine and volume for speech;
    the recorded file's bytes and the volume for recorded audio. A changed script gets a new
    file; an unchanged one is never made twice."""

    def __init__(self, folder: Path, engine: Engine | None, volume: float) -> None:
        self.folder = folder
        self.engine = engine
        self.volume = round(min(max(volume, 0.0), 1.0), 3)

    def speech_key(self, text: str, lang: str) -> str:
        """The cache key of synthesised speech (runs the engine once for its version)."""
        if self.engine is None:
            raise SpeechUnavailable(f"no speech engine: {INSTALL_HINT}")
        voice = self.engine.voice(lang)
        parts = {"text": text, "voice": voice, "engine": self.engine.identity()}
        return _digest({**parts, "volume": self.volume})

    def recorded_key(self, path: Path) -> str:
        """The cache key of a recorded file: its bytes (read once) and the volume."""
        sha = hashlib.sha256()
        try:
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    sha.update(block)
        except OSError as exc:
            raise SpeechError(f"{path.name}: cannot read: {exc.strerror or exc}") from None
        return _digest({"recorded": sha.hexdigest(), "volume": self.volume})

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.wav"

    def speech(self, text: str, lang: str) -> tuple[str, Path]:
        """The key and WAV file of `text` spoken in `lang`, synthesised unless cached."""
        key = self.speech_key(text, lang)
        target = self.path(key)
        if not target.is_file():
            assert self.engine is not None  # speech_key checked
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, raw = tempfile.mkstemp(prefix=".tmp-", suffix=".wav", dir=self.folder)
            os.close(fd)
            try:
                self.engine.synthesise(text, lang, Path(raw))
                write_wav(target, scaled(read_wav(Path(raw)), self.volume))
            finally:
                Path(raw).unlink(missing_ok=True)
        return key, target

    def recorded(self, source: Path) -> tuple[str, Path]:
        """The key and WAV file of a recorded file, converted (volume applied) unless cached."""
        key = self.recorded_key(source)
        target = self.path(key)
        if not target.is_file():
            self.folder.mkdir(parents=True, exist_ok=True)
            write_wav(target, scaled(read_audio(source), self.volume))
        return key, target

    def entry(self, script: ScriptLike) -> tuple[str, Path]:
        """A script's audio: its recorded file when it has one, else its text spoken."""
        if script.audio is not None:
            return self.recorded(script.audio)
        return self.speech(script.text, script.lang)

    def prune(self, keep: Iterable[str]) -> int:
        """Remove every cached file whose key is not in `keep` (and leftovers of interrupted
        writes); the number removed."""
        wanted = {f"{key}.wav" for key in keep}
        removed = 0
        try:
            names = list(os.scandir(self.folder))
        except OSError:
            return 0
        for item in names:
            if item.name in wanted or not item.name.endswith(".wav"):
                continue
            with contextlib.suppress(OSError):
                os.unlink(item.path)
                removed += 1
        return removed


# --- the player ---------------------------------------------------------------------------------

PLAYER_CHOICES = ("auto", "aplay", "pw-play", "none")


def pipewire_running(environ: Mapping[str, str] | None = None) -> bool:
    """Whether a PipeWire server's socket is there (pw-play would reach it)."""
    env = os.environ if environ is None else environ
    folder = env.get("PIPEWIRE_RUNTIME_DIR") or env.get("XDG_RUNTIME_DIR")
    if not folder:
        return False
    remote = env.get("PIPEWIRE_REMOTE", "pipewire-0")
    try:
        return stat.S_ISSOCK(os.stat(Path(folder) / remote).st_mode)
    except OSError:
        return False


def player_command(
    choice: str | Sequence[str], environ: Mapping[str, str] | None = None
) -> list[str] | None:
    """The command that plays a WAV file (the file's path goes last, or where `{file}` is);
    None: play nothing."""
    if not isinstance(choice, str):
        return list(choice)
    if choice == "none":
        return None
    if choice == "pw-play" or (
        choice == "auto" and pipewire_running(environ) and shutil.which("pw-play")
    ):
        return ["pw-play"]
    if choice in ("aplay", "auto"):
        return ["aplay", "-q"] if choice == "aplay" or shutil.which("aplay") else None
    raise ValueError(f"unknown player {choice!r}; expected one of {', '.join(PLAYER_CHOICES)}")


class Player:
    """Plays one WAV file at a time in a child process of its own session, so `stop()` ends the
    player and anything it started; a thread waits for each child, so none is left a zombie."""

    def __init__(
        self, choice: str | Sequence[str] = "auto", environ: Mapping[str, str] | None = None
    ) -> None:
        self.choice = choice if isinstance(choice, str) else tuple(choice)
        self._environ = environ
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._warned = False

    def command(self, path: Path) -> list[str] | None:
        """The command line that plays `path`; None when this player plays nothing."""
        base = player_command(self.choice, self._environ)
        if base is None:
            return None
        if any("{file}" in part for part in base):
            return [part.replace("{file}", str(path)) for part in base]
        return [*base, str(path)]

    def play(self, path: Path) -> bool:
        """Stop what plays and start `path`; False when nothing could be started."""
        self.stop()
        command = self.command(path)
        if command is None:
            if self.choice == "auto" and not self._warned:
                log.warning("no narration player: install alsa-utils (aplay) or pipewire-bin")
                self._warned = True
            return False
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,  # read by the reaper: the log says why a play failed
                start_new_session=True,
            )
        except OSError as exc:
            if not self._warned:  # once: a missing player would otherwise log every tap
                log.warning("cannot play narration with %s: %s", command[0], exc.strerror or exc)
                self._warned = True
            return False
        with self._lock:
            self._process = process
        threading.Thread(
            target=self._reap, args=(process, command[0]), name="narration-player", daemon=True
        ).start()
        return True

    @staticmethod
    def _reap(process: subprocess.Popen[bytes], program: str) -> None:
        stream = process.stderr
        assert stream is not None
        # Read to the end (a player that fills the pipe would block), keep the last words.
        tail = b""
        for block in iter(lambda: stream.read(4096), b""):
            tail = (tail + block)[-2000:]
        stream.close()
        code = process.wait()
        if code > 0:  # negative: we stopped it
            lines = tail.decode(errors="replace").strip().splitlines()
            reason = f": {lines[-1].strip()}" if lines else ""
            log.warning("narration player %s exited with status %d%s", program, code, reason)

    @property
    def playing(self) -> bool:
        """Whether a file is playing now."""
        with self._lock:
            process = self._process
        return process is not None and process.poll() is None and process.returncode is None

    def stop(self) -> None:
        """End the playing child (SIGTERM to its session, SIGKILL if it lingers) and reap it."""
        with self._lock:
            process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        # A second SIGTERM for players that only mark the first (aplay blocked on a read sets a
        # flag, puts the default handler back and reads on); SIGKILL when even that fails.
        for sig, grace in ((signal.SIGTERM, 0.25), (signal.SIGTERM, 1.0), (signal.SIGKILL, 5.0)):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, sig)
            try:
                process.wait(timeout=grace)
                return
            except subprocess.TimeoutExpired:
                continue
        log.warning("narration player %d did not stop", process.pid)

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the file to finish; whether it did."""
        with self._lock:
            process = self._process
        if process is None:
            return True
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return False
        return True


# --- the narrator -------------------------------------------------------------------------------


class Narrator:
    """Speaks slides and cards from audio made ahead of time, off the UI thread.

    `prepare(deck)` hands the deck to one worker thread, which makes every script's audio
    (a newer deck cancels the older's work); `speak_slide` and `speak_card` play what is ready
    and return False, playing nothing and waiting for nothing, when it is not.
    """

    def __init__(
        self,
        engine: Engine | None,
        player: Player,
        cache_dir: Path,
        volume: float,
        *,
        on_ready: Callable[[], None] | None = None,
    ) -> None:
        self.cache = SpeechCache(cache_dir, engine, volume)
        self.player = player
        self.on_ready = on_ready
        """Called (from the worker thread) when a deck's audio is all made."""
        self._speech: dict[tuple[str, str], Path] = {}
        self._recorded: dict[tuple[Path, str], Path] = {}
        self._cond = threading.Condition()
        self._pending: Deck | None = None
        self._generation = 0
        self._done_generation = 0
        self._closed = False
        self._thread: threading.Thread | None = None
        self._unavailable_logged = False

    # The worker.

    def prepare(self, deck: Deck) -> None:
        """Make the deck's audio in the worker thread; returns at once."""
        with self._cond:
            if self._closed:
                return
            self._pending = deck
            self._generation += 1
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._work, name="narration-prepare", daemon=True
                )
                self._thread.start()
            self._cond.notify_all()

    def wait_prepared(self, timeout: float) -> bool:
        """Wait up to `timeout` s for the latest deck's audio (tests and `kiosk narrate`)."""
        with self._cond:
            return self._cond.wait_for(
                lambda: self._closed or self._done_generation == self._generation, timeout
            )

    @property
    def prepared(self) -> bool:
        """Whether the latest deck's audio is all made."""
        with self._cond:
            return self._done_generation == self._generation

    def _cancelled(self, generation: int) -> bool:
        with self._cond:
            return self._closed or self._generation != generation

    def _work(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._closed or self._pending is not None)
                if self._closed:
                    return
                deck, self._pending = self._pending, None
                generation = self._generation
            assert deck is not None
            try:
                finished = self._prepare(deck, generation)
            except Exception:  # the show goes on silent rather than stop
                log.exception("narration: preparing the deck's audio failed")
                finished = True
            if finished:
                with self._cond:
                    if self._generation == generation:
                        self._done_generation = generation
                    self._cond.notify_all()
                if self.on_ready is not None and not self._cancelled(generation):
                    self.on_ready()

    def _prepare(self, deck: Deck, generation: int) -> bool:
        from kiosk.content.narration import deck_scripts

        keep: set[str] = set()
        total = 0
        made = failed = 0
        # Slides before cards: the listen control on a slide is the one most visitors find.
        scripts = sorted(deck_scripts(deck), key=lambda script: script.kind != "slide")
        for script in scripts:
            if self._cancelled(generation):
                return False
            if script.audio is None and not script.text.strip():
                continue  # nothing to say (kiosk audit tells the curator)
            try:
                key, path = self.cache.entry(script)
            except OSError as exc:  # the cache folder: every later script would fail alike
                log.warning(
                    "narration: cannot write the speech cache %s: %s",
                    self.cache.folder,
                    exc.strerror or exc,
                )
                return True
            except SpeechUnavailable as exc:
                if not self._unavailable_logged:
                    log.warning("narration: %s", exc)
                    self._unavailable_logged = True
                continue
            except SpeechError as exc:
                log.warning("narration: %s", exc)
                failed += 1
                continue
            keep.add(key)
            with contextlib.suppress(OSError):
                total += path.stat().st_size
            if script.audio is not None:
                self._recorded[(script.audio, script.lang)] = path
            else:
                self._speech[(script.lang, script.text)] = path
            made += 1
            if total > MAX_CACHE_BYTES:
                log.warning(
                    "narration: the deck's audio passes %d MB; the rest is not made",
                    MAX_CACHE_BYTES >> 20,
                )
                break
        if self._cancelled(generation):
            return False
        removed = self.cache.prune(keep)
        # Forget what was pruned, so a lookup never names a deleted file.
        self._speech = {k: v for k, v in self._speech.items() if v.name[:-4] in keep}
        self._recorded = {k: v for k, v in self._recorded.items() if v.name[:-4] in keep}
        log.info(
            "narration: %d scripts ready, %d failed, %d old files removed", made, failed, removed
        )
        return True

    # The UI's side: quick, never blocking on the engine.

    def _play(self, path: Path | None) -> bool:
        if path is None or not path.is_file():
            return False
        return self.player.play(path)

    def speak_slide(self, deck: Deck, slide: SlideBase, lang: str) -> bool:
        """Play the slide's narration in `lang`; False (nothing plays) when it is not ready."""
        from kiosk.content.narration import recorded, slide_script

        file = recorded(deck, slide, lang)
        if file is not None:
            return self._play(self._recorded.get((file, lang)))
        return self._play(self._speech.get((lang, slide_script(deck, slide, lang))))

    def speak_card(self, title: Text | None, detail: Text, lang: str) -> bool:
        """Play a card's narration in `lang`; False (nothing plays) when it is not ready."""
        from kiosk.content.narration import card_script

        return self._play(self._speech.get((lang, card_script(title, detail, lang))))

    def stop(self) -> None:
        """Stop speaking (nothing happens when nothing plays)."""
        self.player.stop()

    @property
    def speaking(self) -> bool:
        return self.player.playing

    def close(self) -> None:
        """Stop speaking and end the worker (it stops after the script it is on)."""
        self.player.stop()
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            # The script being made finishes first (espeak-ng takes a fraction of a second);
            # an engine that hangs is left to its timeout in the daemon thread.
            thread.join(timeout=CLOSE_WAIT)


def make_narrator(settings: RunSettings, *, on_ready: Callable[[], None] | None = None) -> Narrator:
    """The run's narrator: espeak-ng, the configured player and volume, the platform's cache."""
    from kiosk.ops.paths import default_speech_cache_dir

    narration = settings.narration
    return Narrator(
        EspeakEngine(),
        Player(narration.player),
        default_speech_cache_dir(),
        narration.volume,
        on_ready=on_ready,
    )


def _file_name(script: Script) -> str:
    """`welcome.zh.wav` for a slide, `at-a-glance.tile-area.zh.wav` for one of its cards (the
    card's key in letters, digits and hyphens, so every system and tool takes the name)."""
    if script.card is None:
        return f"{script.slide_id}.{script.lang}.wav"
    card = re.sub(r"[^A-Za-z0-9_-]+", "-", script.card).strip("-") or "card"
    return f"{script.slide_id}.{card}.{script.lang}.wav"


def narrate_main(folder: Path, out: Path, lang: str | None) -> int:
    """`kiosk narrate`: every slide's and card's narration as a WAV file in `out` (recorded audio
    where the content has it, at full volume, for review), with `index.json` giving each file's
    text; the files printed. 1 when the deck is not valid or audio could not be made."""
    import sys

    from kiosk.content.commands import load_or_report
    from kiosk.content.narration import deck_scripts
    from kiosk.ops.progress import on_terminal, progress_bar

    deck = load_or_report(folder)
    if deck is None:
        return 1
    if lang is not None and lang not in deck.settings.languages:
        languages = ", ".join(deck.settings.languages)
        print(
            f"kiosk narrate: the deck has no {lang} text (its languages: {languages})",
            file=sys.stderr,
        )
        return 1
    scripts = deck_scripts(deck, [lang] if lang else None)
    engine = EspeakEngine()
    if any(s.audio is None for s in scripts):
        try:
            engine.identity()
        except SpeechError as exc:
            print(f"kiosk narrate: {exc}", file=sys.stderr)
            return 1
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"kiosk narrate: cannot make {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    index: list[dict[str, Any]] = []
    failed = 0
    with (
        tempfile.TemporaryDirectory(prefix="kiosk-narrate-") as scratch,
        progress_bar(on_terminal()) as progress,
    ):
        cache = SpeechCache(Path(scratch), engine, 1.0)
        names: set[str] = set()
        for done, script in enumerate(scripts):
            progress("narrating", done, len(scripts))
            name = _file_name(script)
            if script.audio is None and not script.text.strip():
                print(f"{name}: nothing to say in {script.lang}; not written", file=sys.stderr)
                continue
            while name in names:  # two keys that differ only in their punctuation
                name = f"{name[:-4]}-{done}.wav"
            names.add(name)
            target = out / name
            try:
                _, made = cache.entry(script)
                write_wav(target, read_wav(made))
            except SpeechError as exc:
                print(f"{target.name}: {exc}", file=sys.stderr)
                failed += 1
                continue
            except OSError as exc:
                print(f"{target}: cannot write: {exc.strerror or exc}", file=sys.stderr)
                failed += 1
                continue
            index.append(
                {
                    "file": target.name,
                    "slide": script.slide_id,
                    "lang": script.lang,
                    "kind": script.kind,
                    "card": script.card,
                    "title": script.title,
                    "text": script.text,
                    "recorded": _relative(deck.root, script.audio),
                    "seconds": round(read_wav(target).seconds, 2),
                }
            )
            print(target)
        progress("narrating", len(scripts), len(scripts))
    listing = json.dumps({"deck": deck.revision, "files": index}, indent=2, ensure_ascii=False)
    (out / "index.json").write_text(listing + "\n", encoding="utf-8")
    print(out / "index.json")
    if failed:
        print(f"kiosk narrate: {failed} of {len(scripts)} files could not be made", file=sys.stderr)
        return 1
    return 0


def _relative(root: Path, path: Path | None) -> str | None:
    if path is None:
        return None
    with contextlib.suppress(ValueError):
        return path.relative_to(root).as_posix()
    return str(path)


__all__ = [
    "EspeakEngine",
    "Narrator",
    "Player",
    "SpeechCache",
    "SpeechError",
    "SpeechUnavailable",
    "make_narrator",
    "narrate_main",
    "read_audio",
    "read_wav",
]
