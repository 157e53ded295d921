"""Offline narration: espeak-ng audio that is audible and as long as its text, the cache, the
volume, recorded audio, a real player stopped cleanly, the narrator's worker and `kiosk narrate`."""

from __future__ import annotations

import fcntl
import io
import json
import logging
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import termios
import threading
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from kiosk import cli
from kiosk.cli import build_parser
from kiosk.content.loader import Deck, load_deck
from kiosk.content.narration import card_script, deck_scripts, slide_cards
from kiosk.content.problems import ContentError
from kiosk.ops.config import KioskConfig, NarrationConfig, load_config
from kiosk.ops.settings import resolve_run_settings
from kiosk.ops.speech import (
    Audio,
    EspeakEngine,
    Narrator,
    Player,
    SpeechCache,
    SpeechError,
    SpeechUnavailable,
    make_narrator,
    pipewire_running,
    player_command,
    read_audio,
    read_wav,
    rms,
    scaled,
    write_wav,
)
from tests.helpers.running import wait_for
from tests.helpers.show import BUNDLED, write_show

pytestmark = pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("aplay") is None,
    reason="needs Debian's espeak-ng and alsa-utils (make system-deps installs them)",
)

NULL_PLAYER = ["aplay", "-D", "null", "-q"]
"""A real player that plays to nowhere (and as fast as it can read)."""
AUDIBLE_RMS = 500.0
"""Of 32768: espeak-ng's speech is about 3000; silence (or a header alone) is 0."""
SECONDS_PER_UNIT = {"zh": (0.15, 0.8), "en": (0.2, 1.2)}
"""Plausible speaking time per Chinese character or digit, per English word: measured
espeak-ng at the kiosk's rates says the bundled deck's scripts at 0.3-0.6 s a character and
0.4-0.95 s a word (numbers said in full take longer than their digits)."""


def units(text: str, lang: str) -> int:
    """What a text's speaking time is counted in: characters and digits, or words."""
    if lang == "zh":
        return len(re.findall(r"[\u3400-\u9fff0-9]", text))
    return len(text.split())


@dataclass(frozen=True)
class Narrated:
    out: Path
    index: list[dict[str, object]]
    status: int
    stdout: str


@pytest.fixture(scope="session")
def narrated(tmp_path_factory: pytest.TempPathFactory) -> Narrated:
    """`kiosk narrate` of the bundled deck, once a session: every other test reads its files."""
    out = tmp_path_factory.mktemp("narrated")
    buffer = io.StringIO()
    stdout, sys.stdout = sys.stdout, buffer
    try:
        status = cli.main(["narrate", str(BUNDLED), "--out", str(out)])
    finally:
        sys.stdout = stdout
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))["files"]
    return Narrated(out, index, status, buffer.getvalue())


@pytest.fixture(scope="session")
def bundled() -> Deck:
    return load_deck(BUNDLED)


def entry(narrated: Narrated, slide: str, lang: str) -> dict[str, object]:
    return next(
        e for e in narrated.index if (e["slide"], e["lang"], e["kind"]) == (slide, lang, "slide")
    )


def tone(seconds: float, rate: int = 8000, channels: int = 1, level: int = 10000) -> Audio:
    frames = np.arange(int(seconds * rate))
    wave_ = (np.sin(frames * 2 * np.pi * 440 / rate) * level).astype(np.int16)
    return Audio(np.repeat(wave_[:, None], channels, axis=1), rate)


class CountingEngine(EspeakEngine):
    """espeak-ng, counting its runs and the threads they ran on."""

    def __init__(self, program: str = "espeak-ng", fail: str | None = None) -> None:
        super().__init__(program)
        self.runs: list[tuple[str, str]] = []
        self.threads: set[str] = set()
        self.fail = fail

    def synthesise(self, text: str, lang: str, out: Path) -> None:
        self.runs.append((lang, text))
        self.threads.add(threading.current_thread().name)
        if self.fail is not None and self.fail in text:
            raise SpeechError(f"refused {self.fail!r}")
        super().synthesise(text, lang, out)


class RecordingPlayer(Player):
    """A player that notes what it was asked to play and plays nothing (the real one is
    tested on its own, below)."""

    def __init__(self) -> None:
        super().__init__("none")
        self.played: list[Path] = []
        self.stopped = 0

    def play(self, path: Path) -> bool:
        self.played.append(path)
        return True

    def stop(self) -> None:
        self.stopped += 1


# --- synthesised speech -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_bundled_slide_is_audible_and_as_long_as_its_text(
    narrated: Narrated, bundled: Deck, lang: str
) -> None:
    welcome = entry(narrated, bundled.slides[0].id, lang)
    with wave.open(str(narrated.out / str(welcome["file"])), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        rate, frames = wav.getframerate(), wav.getnframes()
        samples = np.frombuffer(wav.readframes(frames), "<i2").astype(np.float64)
    loudness = float(np.sqrt(np.mean(samples**2)))
    assert loudness > AUDIBLE_RMS
    text = str(welcome["text"])
    low, high = SECONDS_PER_UNIT[lang]
    seconds = frames / rate
    assert low * units(text, lang) <= seconds <= high * units(text, lang), (seconds, text)


def test_every_script_of_the_bundled_deck_is_audible_and_plausible(narrated: Narrated) -> None:
    for item in narrated.index:
        audio = read_wav(narrated.out / str(item["file"]))
        assert rms(audio) > AUDIBLE_RMS, item["file"]
        low, high = SECONDS_PER_UNIT[str(item["lang"])]
        count = units(str(item["text"]), str(item["lang"]))
        assert low * count <= audio.seconds <= high * count, item


def test_the_text_goes_in_on_stdin_never_as_options(tmp_path: Path) -> None:
    # A text that looks like options (and a shell's metacharacters) is only ever spoken.
    out = tmp_path / "said.wav"
    EspeakEngine().synthesise("-w /tmp/x --stdout; $(touch pwned)", "en", out)
    assert rms(read_wav(out)) > AUDIBLE_RMS
    assert not Path("pwned").exists()
    assert not (tmp_path / "pwned").exists()


def test_a_missing_engine_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(SpeechUnavailable) as raised:
        EspeakEngine().identity()
    assert str(raised.value) == (
        "espeak-ng is not installed, so slides without recorded audio cannot be spoken: "
        "install Debian's espeak-ng package (sudo apt-get install espeak-ng)"
    )


def test_an_engine_that_fails_says_why(tmp_path: Path) -> None:
    with pytest.raises(SpeechError, match="no voice for the language 'fr'"):
        EspeakEngine().synthesise("Bonjour", "fr", tmp_path / "x.wav")


# --- the cache ----------------------------------------------------------------------------------


def test_the_cache_makes_each_text_once_and_names_it_by_what_made_it(tmp_path: Path) -> None:
    engine = CountingEngine()
    cache = SpeechCache(tmp_path, engine, 0.8)
    key, path = cache.speech("两江新区", "zh")
    assert cache.speech("两江新区", "zh") == (key, path)
    assert engine.runs == [("zh", "两江新区")]
    assert path == tmp_path / f"{key}.wav"
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    other_text = cache.speech_key("两江", "zh")
    other_voice = cache.speech_key("两江新区", "en")
    other_volume = SpeechCache(tmp_path, engine, 0.5).speech_key("两江新区", "zh")
    assert len({key, other_text, other_voice, other_volume}) == 4
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_pruning_keeps_only_the_current_decks_audio(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path, EspeakEngine(), 1.0)
    kept, kept_path = cache.speech("One", "en")
    _, old_path = cache.speech("Two", "en")
    (tmp_path / ".tmp-abc.wav").write_bytes(b"half")  # a write cut short
    (tmp_path / "README").write_text("not ours to remove")
    assert cache.prune({kept}) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([kept_path.name, "README"])
    assert not old_path.exists()


def test_the_narrator_prunes_to_the_newest_deck_and_a_newer_deck_cancels_the_older(
    tmp_path: Path,
) -> None:
    first = load_deck(write_show(tmp_path / "first"))
    second = load_deck(
        write_show(
            tmp_path / "second",
            {"slides/one.yaml": "id: one\ntype: title\ntitle: {zh: 新标题, en: New title}\n"},
        )
    )
    engine = CountingEngine()
    narrator = Narrator(engine, RecordingPlayer(), tmp_path / "cache", 0.8)
    try:
        narrator.prepare(first)
        narrator.prepare(second)  # before the first is done: its work stops, the second's runs
        assert narrator.wait_prepared(60)
    finally:
        narrator.close()
    expected = {narrator.cache.entry(s)[0] + ".wav" for s in deck_scripts(second)}
    assert {p.name for p in (tmp_path / "cache").iterdir()} == expected
    assert engine.threads == {"narration-prepare"}  # never the caller's thread


# --- volume -------------------------------------------------------------------------------------


def test_the_volume_scales_the_samples(tmp_path: Path) -> None:
    full = read_wav(SpeechCache(tmp_path / "a", EspeakEngine(), 1.0).speech("Volume", "en")[1])
    half = read_wav(SpeechCache(tmp_path / "b", EspeakEngine(), 0.5).speech("Volume", "en")[1])
    assert len(full.samples) == len(half.samples)
    assert rms(half) / rms(full) == pytest.approx(0.5, abs=0.01)
    silent = SpeechCache(tmp_path / "c", EspeakEngine(), 0.0).speech("Volume", "en")[1]
    assert rms(read_wav(silent)) == 0.0


def test_scaling_rounds_and_never_wraps() -> None:
    loud = Audio(np.array([[32767], [-32768], [3], [-3]], dtype=np.int16), 8000)
    assert scaled(loud, 0.5).samples[:, 0].tolist() == [16384, -16384, 2, -2]
    assert scaled(loud, 1.0) is loud
    assert scaled(loud, -1.0).samples[:, 0].tolist() == [0, 0, 0, 0]


# --- recorded audio -----------------------------------------------------------------------------


def write_pcm(path: Path, audio: Audio, width: int) -> None:
    """A WAV file with `width`-byte samples (the test's own writer, not the module's)."""
    values = audio.samples.astype(np.int64)
    if width == 1:
        raw = ((values >> 8) + 128).astype(np.uint8).tobytes()
    elif width == 2:
        raw = values.astype("<i2").tobytes()
    elif width == 3:
        wide = (values << 8).astype("<i4").tobytes()
        raw = b"".join(wide[i : i + 3] for i in range(0, len(wide), 4))
    else:
        raw = (values << 16).astype("<i4").tobytes()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(audio.samples.shape[1])
        wav.setsampwidth(width)
        wav.setframerate(audio.rate)
        wav.writeframes(raw)


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_recorded_wav_is_converted_with_the_volume(tmp_path: Path, width: int) -> None:
    source = tone(0.5, rate=44100, channels=2)
    write_pcm(tmp_path / "recorded.wav", source, width)
    _, made = SpeechCache(tmp_path / "cache", None, 0.5).recorded(tmp_path / "recorded.wav")
    audio = read_wav(made)
    assert (audio.rate, audio.samples.shape) == (44100, source.samples.shape)
    tolerance = 128 if width == 1 else 1  # 8-bit keeps the top byte only
    expected = scaled(source, 0.5).samples.astype(np.int32)
    assert np.abs(audio.samples.astype(np.int32) - expected).max() <= tolerance


def test_recorded_audio_is_keyed_by_its_bytes(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path / "cache", None, 0.8)
    write_wav(tmp_path / "a.wav", tone(0.2))
    first, _ = cache.recorded(tmp_path / "a.wav")
    write_wav(tmp_path / "a.wav", tone(0.3))
    second, _ = cache.recorded(tmp_path / "a.wav")
    assert first != second


def test_an_unreadable_recording_is_a_speech_error(tmp_path: Path) -> None:
    (tmp_path / "broken.wav").write_bytes(b"RIFF\0\0\0\0WAVEjunk")
    cache = SpeechCache(tmp_path / "cache", None, 1.0)
    with pytest.raises(SpeechError, match=r"broken\.wav"):
        cache.recorded(tmp_path / "broken.wav")


def test_flac_and_ogg_recordings(tmp_path: Path) -> None:
    try:
        import soundfile  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        (tmp_path / "voice.flac").write_bytes(b"fLaC")
        with pytest.raises(SpeechError, match="needs the soundfile package"):
            read_audio(tmp_path / "voice.flac")
        return
    source = tone(0.5, rate=22050)
    for name in ("voice.flac", "voice.ogg"):
        soundfile.write(str(tmp_path / name), source.samples, source.rate)
        audio = read_audio(tmp_path / name)
        assert audio.rate == 22050
        assert rms(audio) == pytest.approx(rms(source), rel=0.1)


# --- the player ---------------------------------------------------------------------------------


def endless_wav(folder: Path) -> tuple[Path, int]:
    """A FIFO that gives a player the start of a ten-minute WAV and then nothing, so the player
    keeps playing (waiting for the rest) until stopped: `aplay -D null` plays as fast as it
    reads, so a long file on disk would be over before the test looked. The write end's
    descriptor is returned for the test to close."""
    fifo = folder / "endless.wav"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # a reader finds a writer; no EOF
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(bytes(2 * 8000 * 600))
    os.write(fd, buffer.getvalue()[:16000])
    return fifo, fd


def unread(fd: int) -> int:
    """Bytes in the FIFO no reader has taken yet."""
    return int.from_bytes(fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"), sys.byteorder)


def reaped(pid: int) -> bool:
    """Whether the child is gone entirely (not running, not a zombie)."""
    return not Path(f"/proc/{pid}").exists()


def test_the_player_plays_until_stopped_and_leaves_no_zombie(tmp_path: Path) -> None:
    fifo, fd = endless_wav(tmp_path)
    player = Player(NULL_PLAYER)
    try:
        assert player.play(fifo)
        process = player._process
        assert process is not None
        assert process.args == [*NULL_PLAYER, str(fifo)]
        # Playing: it has read the header and waits for samples (sleeping, not exited).
        wait_for("aplay reading", lambda: unread(fd) == 0)
        assert player.playing
        player.stop()
        assert not player.playing
        assert process.returncode is not None
        assert process.returncode < 0
        assert reaped(process.pid)
    finally:
        os.close(fd)
        player.stop()
    player.stop()  # nothing playing: nothing happens


def test_a_finished_file_is_reaped_without_anyone_waiting(tmp_path: Path) -> None:
    write_wav(tmp_path / "short.wav", tone(0.5))
    player = Player(NULL_PLAYER)
    assert player.play(tmp_path / "short.wav")
    process = player._process
    assert process is not None
    wait_for("the player to finish", lambda: not player.playing, timeout=10)
    wait_for("the reaper thread", lambda: reaped(process.pid), timeout=10)
    assert process.returncode == 0


def test_a_new_file_stops_the_one_playing(tmp_path: Path) -> None:
    fifo, fd = endless_wav(tmp_path)
    write_wav(tmp_path / "short.wav", tone(0.1))
    player = Player(NULL_PLAYER)
    try:
        assert player.play(fifo)
        first = player._process
        assert first is not None
        assert player.play(tmp_path / "short.wav")
        assert first.returncode is not None
        assert reaped(first.pid)
        assert player.wait(10)
    finally:
        os.close(fd)
        player.stop()


def test_players_that_play_nothing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    write_wav(tmp_path / "short.wav", tone(0.1))
    assert not Player("none").play(tmp_path / "short.wav")
    missing = Player(["/nonexistent/player"])
    with caplog.at_level(logging.WARNING):
        assert not missing.play(tmp_path / "short.wav")
        assert not missing.play(tmp_path / "short.wav")
    assert [r.getMessage() for r in caplog.records] == [
        "cannot play narration with /nonexistent/player: No such file or directory"
    ]
    assert not missing.playing


def test_the_player_command(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Player(["paplay", "--volume=30000"]).command(Path("/a.wav")) == [
        "paplay",
        "--volume=30000",
        "/a.wav",
    ]
    assert Player(["play", "{file}", "-q"]).command(Path("/a.wav")) == ["play", "/a.wav", "-q"]
    assert player_command("aplay") == ["aplay", "-q"]
    assert player_command("pw-play") == ["pw-play"]
    assert player_command("none") is None
    with pytest.raises(ValueError, match="unknown player 'vlc'"):
        player_command("vlc")


def test_auto_takes_pw_play_when_a_pipewire_socket_is_there(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="pw-"))  # short: a socket's path is at most 107 bytes
    server = socket.socket(socket.AF_UNIX)
    try:
        env = {"XDG_RUNTIME_DIR": str(folder)}
        assert not pipewire_running(env)
        (folder / "pipewire-0").write_text("not a socket")
        assert not pipewire_running(env)
        (folder / "pipewire-0").unlink()
        server.bind(str(folder / "pipewire-0"))
        assert stat.S_ISSOCK(os.stat(folder / "pipewire-0").st_mode)
        assert pipewire_running(env)
        found = {"pw-play": "/usr/bin/pw-play", "aplay": "/usr/bin/aplay"}
        monkeypatch.setattr(shutil, "which", found.get)
        assert player_command("auto", env) == ["pw-play"]
        assert player_command("auto", {}) == ["aplay", "-q"]
        monkeypatch.setattr(shutil, "which", lambda name: None)
        assert player_command("auto", {}) is None
        with caplog.at_level(logging.WARNING, logger="kiosk.ops.speech"):
            assert not Player("auto", {}).play(Path("/a.wav"))
        assert caplog.messages == [
            "no narration player: install alsa-utils (aplay) or pipewire-bin"
        ]
    finally:
        server.close()
        shutil.rmtree(folder)


# --- the narrator -------------------------------------------------------------------------------


@pytest.fixture
def show(tmp_path: Path) -> Deck:
    return load_deck(write_show(tmp_path / "show"))


@pytest.fixture
def narrator_parts(tmp_path: Path) -> tuple[CountingEngine, RecordingPlayer, Path]:
    return CountingEngine(), RecordingPlayer(), tmp_path / "cache"


def test_the_narrator_prepares_in_its_thread_then_speaks(
    show: Deck, narrator_parts: tuple[CountingEngine, RecordingPlayer, Path]
) -> None:
    engine, player, cache = narrator_parts
    narrator = Narrator(engine, player, cache, 0.8)
    chart = show.slides[1]
    card = slide_cards(show, chart)[0]
    try:
        # Nothing made yet: nothing plays and nothing waits for the engine.
        assert not narrator.speak_slide(show, show.slides[0], "en")
        assert engine.runs == []
        narrator.prepare(show)
        assert narrator.wait_prepared(60)
        assert narrator.prepared
        assert engine.threads == {"narration-prepare"}
        assert len(engine.runs) == len(deck_scripts(show))
        assert narrator.speak_slide(show, show.slides[0], "en")
        assert narrator.speak_slide(show, chart, "zh")
        assert narrator.speak_card(card.title, card.detail, "en")
        assert not narrator.speak_card(None, card.detail, "en")  # a card the deck has not
        assert len(player.played) == 3
        for path in player.played:
            assert path.parent == cache
            assert rms(read_wav(path)) > AUDIBLE_RMS * 0.8
        said = card_script(card.title, card.detail, "en")
        assert player.played[2] == narrator.cache.speech(said, "en")[1]
        narrator.stop()
        assert player.stopped == 1
        assert not narrator.speaking
        # A second prepare of the same deck makes nothing again.
        narrator.prepare(show)
        assert narrator.wait_prepared(60)
        assert len(engine.runs) == len(deck_scripts(show))
    finally:
        narrator.close()
    assert narrator._thread is not None
    assert not narrator._thread.is_alive()


def test_a_script_that_fails_is_logged_and_the_rest_made(
    show: Deck, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    player = RecordingPlayer()
    narrator = Narrator(CountingEngine(fail="Test chart"), player, tmp_path / "cache", 0.8)
    try:
        with caplog.at_level(logging.WARNING, logger="kiosk.ops.speech"):
            narrator.prepare(show)
            assert narrator.wait_prepared(60)
        assert "narration: refused 'Test chart'" in caplog.messages
        assert not narrator.speak_slide(show, show.slides[1], "en")
        assert narrator.speak_slide(show, show.slides[1], "zh")
        assert narrator.speak_slide(show, show.slides[0], "en")
    finally:
        narrator.close()


def test_without_the_engine_the_narrator_is_quiet_and_says_why_once(
    show: Deck, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    narrator = Narrator(EspeakEngine("no-such-espeak"), RecordingPlayer(), tmp_path / "cache", 0.8)
    try:
        with caplog.at_level(logging.WARNING, logger="kiosk.ops.speech"):
            narrator.prepare(show)
            assert narrator.wait_prepared(60)
        assert [m for m in caplog.messages if "not installed" in m] == [
            "narration: no-such-espeak is not installed, so slides without recorded audio "
            "cannot be spoken: install Debian's espeak-ng package (sudo apt-get install "
            "espeak-ng)"
        ]
        assert not narrator.speak_slide(show, show.slides[0], "en")
    finally:
        narrator.close()


def test_make_narrator_follows_the_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    config = KioskConfig(
        content=tmp_path,
        narration=NarrationConfig(volume=0.25, player=("aplay", "-D", "null")),
    )
    args = build_parser().parse_args(["run"])
    settings = resolve_run_settings(args, {}, config, bundled=BUNDLED)
    narrator = make_narrator(settings)
    try:
        assert narrator.cache.volume == 0.25
        assert narrator.player.command(Path("/a.wav")) == ["aplay", "-D", "null", "/a.wav"]
        assert narrator.cache.folder == tmp_path / "cache" / "liangjiang-kiosk" / "speech"
    finally:
        narrator.close()


# --- kiosk.yaml ---------------------------------------------------------------------------------


def test_narration_defaults() -> None:
    assert NarrationConfig() == NarrationConfig(volume=0.8, in_loop=False, player="auto")
    settings = resolve_run_settings(build_parser().parse_args(["run"]), {}, None, bundled=BUNDLED)
    assert settings.narration == NarrationConfig()


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("{volume: 0.5, in_loop: true, player: [aplay, -D, 'null']}", None),
        ("{player: pw-play}", None),
        ("{volume: 1.5}", "2:21: narration.volume: must be at most 1, got 1.5"),
        ("{volume: loud}", '2:21: narration.volume: expected a number, got "loud"'),
        (
            "{player: vlc}",
            "2:21: narration.player: expected auto, aplay, pw-play, none or a command as a "
            'list, like [aplay, -q], got "vlc"',
        ),
        ("{player: []}", "2:21: narration.player: a player command needs at least the program"),
        (
            "{player: [aplay, 3]}",
            "2:21: narration.player: each word of the player command must be non-empty text, got 3",
        ),
        ("{in_loop: often}", '2:22: narration.in_loop: expected true or false, got "often"'),
        ("{volum: 1}", '2:13: narration.volum: unknown key "volum"; did you mean "volume"?'),
    ],
)
def test_the_narration_section_is_checked_with_locations(
    tmp_path: Path, section: str, message: str | None
) -> None:
    file = tmp_path / "kiosk.yaml"
    file.write_text(f"content: /srv/show\nnarration: {section}\n")
    if message is None:
        assert isinstance(load_config(file).narration, NarrationConfig)
        return
    with pytest.raises(ContentError) as raised:
        load_config(file)
    assert [str(p) for p in raised.value.problems] == [f"{file}:{message}"]


# --- kiosk narrate ------------------------------------------------------------------------------


def test_narrate_writes_every_slide_and_card_in_every_language(
    narrated: Narrated, bundled: Deck
) -> None:
    assert narrated.status == 0
    scripts = deck_scripts(bundled)
    assert len(narrated.index) == len(scripts)
    for slide in bundled.slides:
        for lang in bundled.settings.languages:
            assert (narrated.out / f"{slide.id}.{lang}.wav").is_file()
    names = {str(e["file"]) for e in narrated.index}
    assert len(names) == len(scripts)  # one file each
    assert {p.name for p in narrated.out.iterdir()} == {*names, "index.json"}
    for name in names:
        with wave.open(str(narrated.out / name), "rb") as wav:
            assert wav.getnframes() > 0
    cards = [e for e in narrated.index if e["kind"] == "card"]
    assert cards
    assert all(
        re.fullmatch(r"[a-z0-9-]+\.[A-Za-z0-9_-]+\.(zh|en)\.wav", str(c["file"])) for c in cards
    )
    assert narrated.stdout.splitlines() == [
        *(str(narrated.out / str(e["file"])) for e in narrated.index),
        str(narrated.out / "index.json"),
    ]


def test_narrate_one_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    show = write_show(tmp_path / "show")
    assert cli.main(["narrate", str(show), "--out", str(tmp_path / "out"), "--lang", "en"]) == 0
    index = json.loads((tmp_path / "out" / "index.json").read_text())["files"]
    assert {e["lang"] for e in index} == {"en"}
    assert {"one.en.wav", "two.en.wav"} <= {e["file"] for e in index}
    assert capsys.readouterr().err == ""


def test_narrate_reports_an_invalid_deck_like_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    show = write_show(tmp_path / "show", {"slides/one.yaml": "id: one\ntype: title\n"})
    assert cli.main(["narrate", str(show), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == f"{show}: not valid; fix the errors above"
    assert cli.main(["validate", str(show)]) == 1
    problems = capsys.readouterr().out.splitlines()[:-1]
    assert problems[0].startswith("slides/one.yaml:1:1: ")
    assert err[:-1] == problems  # each problem as `kiosk validate` words and places it
    assert not (tmp_path / "out").exists()


def test_narrate_without_espeak_says_so(tmp_path: Path) -> None:
    show = write_show(tmp_path / "show")
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "narrate", str(show), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": str(tmp_path / "empty")},
        timeout=120,
        check=False,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "kiosk narrate: espeak-ng is not installed, so slides without recorded audio cannot be "
        "spoken: install Debian's espeak-ng package (sudo apt-get install espeak-ng)\n"
    )
    assert not (tmp_path / "out").exists()


# --- recorded audio in a deck -------------------------------------------------------------------


def recorded_show(root: Path) -> Deck:
    """The base show with the curator's English recording of its first slide (a FLAC file)."""
    import soundfile  # type: ignore[import-not-found,unused-ignore]

    folder = write_show(
        root,
        {
            "slides/one.yaml": "id: one\ntype: title\ntitle: {zh: 标题, en: Title}\n"
            "subtitle: {zh: 副标题, en: Subtitle}\naudio: {en: audio/one.en.flac}\n"
        },
    )
    (folder / "audio").mkdir()
    source = tone(1.0, rate=22050)
    soundfile.write(str(folder / "audio" / "one.en.flac"), source.samples, source.rate)
    return load_deck(folder)


def test_a_recording_is_played_instead_of_speech_with_the_volume(tmp_path: Path) -> None:
    deck = recorded_show(tmp_path / "show")
    engine, player = CountingEngine(), RecordingPlayer()
    narrator = Narrator(engine, player, tmp_path / "cache", 0.5)
    try:
        narrator.prepare(deck)
        assert narrator.wait_prepared(60)
        assert narrator.speak_slide(deck, deck.slides[0], "en")
        assert narrator.speak_slide(deck, deck.slides[0], "zh")  # no recording: espeak-ng
    finally:
        narrator.close()
    played = read_wav(player.played[0])
    assert (played.rate, played.seconds) == (22050, 1.0)
    assert rms(played) == pytest.approx(rms(tone(1.0)) * 0.5, rel=0.01)
    spoken = {text for lang, text in engine.runs if lang == "en"}
    assert deck_scripts(deck, ["en"])[0].text not in spoken
    assert len(engine.runs) == len(deck_scripts(deck)) - 1


def test_narrate_uses_the_recording(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = recorded_show(tmp_path / "show")
    assert cli.main(["narrate", str(deck.root), "--out", str(tmp_path / "out")]) == 0
    index = json.loads((tmp_path / "out" / "index.json").read_text())["files"]
    by_file = {e["file"]: e for e in index}
    assert by_file["one.en.wav"]["recorded"] == "audio/one.en.flac"
    assert by_file["one.zh.wav"]["recorded"] is None
    assert by_file["one.en.wav"]["seconds"] == 1.0
    # Full volume for review: the recording as it is.
    assert rms(read_wav(tmp_path / "out" / "one.en.wav")) == pytest.approx(rms(tone(1.0)), rel=0.01)
    assert capsys.readouterr().err == ""


def test_an_unwritable_cache_is_one_warning(
    show: Deck, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "cache").write_text("a file where the folder should be")
    narrator = Narrator(CountingEngine(), RecordingPlayer(), tmp_path / "cache", 0.8)
    try:
        with caplog.at_level(logging.WARNING, logger="kiosk.ops.speech"):
            narrator.prepare(show)
            assert narrator.wait_prepared(60)
        assert caplog.messages == [
            f"narration: cannot write the speech cache {tmp_path / 'cache'}: File exists"
        ]
        assert not narrator.speak_slide(show, show.slides[0], "en")
    finally:
        narrator.close()


def test_a_slide_with_nothing_to_say_is_skipped_quietly(
    show: Deck, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # No slide type the kiosk ships is wordless (kiosk audit makes one an error); a new one
    # must not fill the log with espeak-ng's empty files at every reload.
    from dataclasses import replace
    from typing import Literal

    from kiosk.content.model import SlideBase

    class Picture(SlideBase):
        type: Literal["picture"]

    picture = Picture.model_validate({"id": "picture", "type": "picture"})
    deck = replace(
        show,
        slides=(show.slides[0], picture),
        slide_files=(show.slide_files[0], "slides/picture.yaml"),
        _index={show.slides[0].id: 0, "picture": 1},
    )
    engine = CountingEngine()
    narrator = Narrator(engine, RecordingPlayer(), tmp_path / "cache", 0.8)
    try:
        with caplog.at_level(logging.WARNING, logger="kiosk.ops.speech"):
            narrator.prepare(deck)
            assert narrator.wait_prepared(60)
        assert caplog.messages == []
        assert not narrator.speak_slide(deck, picture, "en")
        assert narrator.speak_slide(deck, show.slides[0], "en")
        assert all(text.strip() for _, text in engine.runs)
    finally:
        narrator.close()


def test_the_cache_is_bounded(
    show: Deck, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("kiosk.ops.speech.MAX_CACHE_BYTES", 1)  # any one file passes it
    narrator = Narrator(CountingEngine(), RecordingPlayer(), tmp_path / "cache", 0.8)
    try:
        with caplog.at_level(logging.WARNING, logger="kiosk.ops.speech"):
            narrator.prepare(show)
            assert narrator.wait_prepared(60)
    finally:
        narrator.close()
    assert caplog.messages == ["narration: the deck's audio passes 0 MB; the rest is not made"]
    assert len(list((tmp_path / "cache").iterdir())) == 1


def test_a_player_that_fails_says_why_in_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_wav(tmp_path / "short.wav", tone(0.1))
    player = Player(["aplay", "-q", "-D", "no-such-device"])
    with caplog.at_level(logging.WARNING, logger="kiosk.ops.speech"):
        assert player.play(tmp_path / "short.wav")
        process = player._process
        assert process is not None
        wait_for("the reaper thread", lambda: reaped(process.pid), timeout=10)
        wait_for("the warning", lambda: bool(caplog.messages), timeout=10)
    (message,) = caplog.messages
    assert message.startswith("narration player aplay exited with status 1: aplay: ")
    assert "audio open error" in message


@pytest.mark.skipif(shutil.which("nice") is None, reason="coreutils' nice is not installed")
def test_speech_is_made_below_the_show(tmp_path: Path) -> None:
    """espeak-ng runs niced: a deck's speech is made while the show plays on the same cores."""
    from kiosk.ops.speech import NICENESS, EspeakEngine

    seen = tmp_path / "niceness"
    program = tmp_path / "fake-espeak"
    program.write_text(
        f"#!{sys.executable}\n"
        "import os, sys, wave\n"
        f"open({str(seen)!r}, 'w').write(str(os.nice(0)))\n"
        "out = sys.argv[sys.argv.index('-w') + 1]\n"
        "with wave.open(out, 'wb') as w:\n"
        "    w.setnchannels(1); w.setsampwidth(2); w.setframerate(22050)\n"
        "    w.writeframes(b'\\x10\\x00' * 22050)\n",
        encoding="utf-8",
    )
    program.chmod(0o755)
    EspeakEngine(str(program)).synthesise("两江新区", "zh", tmp_path / "out.wav")
    assert int(seen.read_text()) >= min(19, os.nice(0) + NICENESS)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_the_chinese_voice_reads_chinese_as_chinese() -> None:
    """espeak-ng's plain `cmn` voice reads its dictionary's pinyin tone digits in English
    ("ni three hao three"); the kiosk's voice says the tones, and digits as Chinese numbers."""
    from kiosk.ops.speech import VOICES

    def phonemes(text: str) -> str:
        return subprocess.run(
            ["espeak-ng", "-v", VOICES["zh"], "-q", "-x", "--stdin"],
            input=text.encode(),
            capture_output=True,
            check=True,
        ).stdout.decode()

    assert "(en)" not in phonemes("你好，两江新区面积1360平方公里")
    assert "Tr'i:" not in phonemes("你好")  # no English "three"


def test_a_float_recording_keeps_its_loudness(tmp_path: Path) -> None:
    """DAWs export float WAVs; libsndfile does not scale floats into an integer read."""
    import soundfile

    from kiosk.ops.speech import read_audio

    rate = 22050
    tone = 0.2 * np.sin(np.linspace(0, 2 * np.pi * 440, rate, dtype=np.float32))
    path = tmp_path / "float.wav"
    soundfile.write(str(path), tone, rate, subtype="FLOAT")
    audio = read_audio(path)
    assert audio.rate == rate
    assert 0.19 * 32767 < np.abs(audio.samples).max() < 0.21 * 32767
