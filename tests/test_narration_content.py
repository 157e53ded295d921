"""Narration's content layer: what the kiosk says for each slide and card, units in words, and
the curator's recordings checked by the loader with located messages."""

from __future__ import annotations

import dataclasses
import io
import math
import os
import struct
import unicodedata
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile
from hypothesis import given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from kiosk.content import audio as audio_module
from kiosk.content import loader as loader_module
from kiosk.content.format import format_date, format_figure, format_metric
from kiosk.content.loader import Deck, check_folder, load_deck, metric_keys
from kiosk.content.model import ChartSlide, Text, TimelineSlide
from kiosk.content.narration import (
    Script,
    card_script,
    deck_scripts,
    recorded,
    slide_cards,
    slide_script,
    speakable,
    spoken_figure,
    unit_words,
    zh_number,
)
from tests.helpers.show import BASE_FILES, BUNDLED, REPO, write_show
from tests.helpers.views import shown_view

CHARTS = REPO / "tests" / "fixtures" / "charts"
ALPHABET = [
    *"0123456789 \n,.:;!?'\"-+&/()[]%％²³–—…~×·•　，。、：；！？（）“”‘’《》",
    *"kmtgh$¥€",
    *"年月日万亿元人米平方公里两江新区重庆",
    *"AaZz",
    "\u2060",
    "２",
    "Ⅻ",
    "①",
    "→",
    "™",
    "㎡",
]
"""Characters a curator's text holds, symbols a voice reads badly most of all."""
SPOKEN_MARKS = frozenset(".,;:!?'-。，、；：！？ ")
"""What a script may hold besides letters and digits: marks a voice pauses at (and the
apostrophe and hyphen inside words)."""


def unreadable(text: str) -> list[str]:
    """The characters of `text` a voice would spell out, skip or stumble on."""
    return [
        c
        for c in text
        if c not in SPOKEN_MARKS
        and not (unicodedata.category(c)[0] == "L" or unicodedata.category(c) == "Nd")
    ]


@pytest.fixture(scope="module")
def bundled() -> Deck:
    return load_deck(BUNDLED)


# -- the bundled deck's scripts ----------------------------------------------------------------


def test_every_slide_says_each_of_its_figures_with_its_unit_in_words(bundled: Deck) -> None:
    for slide in bundled.slides:
        for lang in bundled.settings.languages:
            script = slide_script(bundled, slide, lang)
            assert script, (slide.id, lang)
            assert unreadable(script) == [], (slide.id, lang, script)
            for key in metric_keys(slide):
                said = spoken_figure(format_metric(bundled.metrics[key], lang))
                assert said in script, (slide.id, lang, said, script)
            if isinstance(slide, TimelineSlide):
                for event in slide.events:
                    assert format_date(event.date, lang) in script, (slide.id, lang)
            assert script[-1] in ".!?。！？", (slide.id, lang, script)


@pytest.mark.parametrize(
    ("slide_id", "lang", "said"),
    [
        ("welcome", "en", "Area: 1,360 square kilometres."),
        ("welcome", "zh", "区域面积：1360平方公里。"),
        ("welcome", "en", "Population: 3.52 million residents."),
        ("welcome", "zh", "人口：352万人。"),
        ("welcome", "en", "An administrative district since January 2026."),
        ("at-a-glance", "en", "Large-scale industrial output: over 670 billion yuan."),
        ("at-a-glance", "zh", "规上工业总产值：超过6700亿元。"),
        ("industries", "en", "New-generation electronics: 300-billion-yuan tier."),
        ("industries", "zh", "新一代电子信息制造：3000亿元级。"),
        ("shares", "en", "New energy vehicles, NEVs, made: 75 per cent."),
        ("shares", "zh", "新能源汽车产量：百分之七十五。"),
        ("shares", "zh", "以下三项各自占比：超过百分之四十。"),
        ("milestones", "en", "18 June 2010: Liangjiang New Area established."),
        ("milestones", "zh", "2010年6月18日：两江新区设立。"),
        ("milestones", "en", "2026 to 2030: 15th Five-Year Plan."),
        ("milestones", "zh", "2026年至2030年：十五五时期。"),
        ("strategy", "en", "2026 to 2030: the main engine. Major fronts: 6. National strategies"),
        ("dual-role", "zh", "青：行政区，金：开发区。"),
        ("dual-role", "en", "Teal: administrative district. Gold: development zone."),
        ("open-platforms", "en", "Airport plus station: more than 120 million yearly."),
        ("open-platforms", "zh", "机场加北站：年旅客超1.2亿人次。"),
        ("where", "en", "Schematic, not to scale."),
    ],
)
def test_bundled_slides_say(bundled: Deck, slide_id: str, lang: str, said: str) -> None:
    index = bundled.index_of(slide_id)
    assert index is not None
    assert said in slide_script(bundled, bundled.slides[index], lang)


def test_a_kicker_is_said_before_the_title_it_sits_above(bundled: Deck) -> None:
    welcome = bundled.slides[0]
    assert slide_script(bundled, welcome, "en").startswith(
        "National-level new area. Chongqing Liangjiang New Area. "
    )
    assert slide_script(bundled, welcome, "zh").startswith("国家级新区。重庆两江新区。")


def test_every_card_of_the_deck_is_scripted_in_every_language(bundled: Deck) -> None:
    scripts = deck_scripts(bundled)
    languages = bundled.settings.languages
    slides = [s for s in scripts if s.kind == "slide"]
    assert [(s.slide_id, s.lang) for s in slides] == [
        (slide.id, lang) for lang in languages for slide in bundled.slides
    ]
    for lang in languages:
        for slide in bundled.slides:
            cards = [s for s in scripts if s.slide_id == slide.id and s.lang == lang]
            keys = [s.card for s in cards if s.kind == "card"]
            assert keys == [card.key for card in slide_cards(bundled, slide)]
    for script in scripts:
        assert script.text, script
        assert unreadable(script.text) == [], script
        assert script.audio is None
        assert (script.title is None) == (script.kind == "slide")
    assert len([s for s in scripts if s.kind == "card"]) > 20


def test_card_scripts_say_the_title_then_the_text() -> None:
    title = Text.model_validate({"zh": "区域面积", "en": "Area"})
    detail = Text.model_validate({"zh": "1360 km²，约75%。", "en": "1,360 km², about 75%.\n\nNew."})
    assert (
        card_script(title, detail, "en") == "Area. 1,360 square kilometres, about 75 per cent. New."
    )
    assert card_script(title, detail, "zh") == "区域面积。1360平方公里，约百分之七十五。"
    assert card_script(None, detail, "en") == "1,360 square kilometres, about 75 per cent. New."


def test_a_timeline_card_opens_with_its_date_said() -> None:
    deck = load_deck(BUNDLED)
    index = deck.index_of("milestones")
    assert index is not None
    cards = slide_cards(deck, deck.slides[index])
    assert [c.key for c in cards] == ["event:0", "event:1", "event:2", "event:3"]
    last = cards[-1]
    assert card_script(last.title, last.detail, "en").startswith(
        "15th Five-Year Plan. 2026 to 2030. The 15th Five-Year Plan period"
    )
    assert card_script(last.title, last.detail, "zh").startswith("十五五时期。2026年至2030年。")


def test_chart_values_are_said_with_the_charts_unit_never_rounded() -> None:
    deck = load_deck(CHARTS)
    said = {s.id: slide_script(deck, s, "en") for s in deck.slides}
    assert (
        "Test A: Series one 400 tonnes, Series two 200 tonnes, Series three 100 tonnes."
        in (said["test-bar"])
    )
    assert "Test share C: 55.5 per cent." in said["test-share"]
    assert (
        "2021: Test series one 120 billion yuan, Test series two 200 billion yuan."
        in (said["test-line"])
    )
    assert "Test item beta: over 1.25 million visitors." in said["test-hbar"]
    zh = {s.id: slide_script(deck, s, "zh") for s in deck.slides}
    assert "测试份额丙：百分之五十五点五。" in zh["test-share"]
    assert "2021：测试系列一1200亿元、测试系列二2000亿元。" in zh["test-line"]
    for slide in deck.slides:
        assert isinstance(slide, ChartSlide)
        for lang in ("zh", "en"):
            assert unreadable(slide_script(deck, slide, lang)) == []


# -- the vocabulary ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "lang", "said"),
    [
        ("km²", "en", "square kilometres"),
        ("km²", "zh", "平方公里"),
        ("平方公里", "zh", "平方公里"),
        ("m²", "en", "square metres"),
        ("㎡", "zh", "平方米"),
        ("%", "en", "per cent"),
        ("t", "en", "tonnes"),
        ("tonnes", "en", "tonnes"),
        ("吨", "zh", "吨"),
        ("yuan", "en", "yuan"),
        ("元", "zh", "元"),
        ("US$", "en", "US dollars"),
        ("US dollars", "en", "US dollars"),
        ("美元", "zh", "美元"),
        ("人次/年", "zh", "人次每年"),
        ("passengers a year", "en", "passengers a year"),
        ("residents", "en", "residents"),
        ("km/h", "en", "kilometres an hour"),
        ("boxes/day", "en", "boxes per day"),
        ("件/天", "zh", "件每天"),
        ("℃", "zh", "摄氏度"),
        ("°C", "en", "degrees Celsius"),
        ("kWh", "zh", "千瓦时"),
        ("TEU", "en", "twenty-foot equivalent units"),
        # Not in the vocabulary: said as written, its symbols in words, never dropped.
        ("cm²", "en", "square centimetres"),
        ("dm³", "en", "cubic dm"),
        ("widgets", "en", "widgets"),
        ("件", "zh", "件"),
        ("\u2060万\u2060户", "zh", "万户"),
    ],
)
def test_unit_words(unit: str, lang: str, said: str) -> None:
    assert unit_words(unit, lang) == said


@pytest.mark.parametrize(
    ("value", "lang", "options", "said"),
    [
        (1360, "en", {"fmt": "plain", "unit": "km²"}, "1,360 square kilometres"),
        (1360, "zh", {"fmt": "plain", "unit": "平方公里"}, "1360平方公里"),
        (3520000, "en", {"unit": "residents"}, "3.52 million residents"),
        (3520000, "zh", {"unit": "人"}, "352万人"),
        (75, "en", {"fmt": "percent"}, "75 per cent"),
        (75, "zh", {"fmt": "percent"}, "百分之七十五"),
        (40, "en", {"fmt": "percent", "qualifier": "over"}, "over 40 per cent"),
        (40, "zh", {"fmt": "percent", "qualifier": "over"}, "超过百分之四十"),
        (12.5, "zh", {"fmt": "percent"}, "百分之十二点五"),
        (400e9, "en", {"unit": "yuan", "qualifier": "tier"}, "400-billion-yuan tier"),
        (400e9, "zh", {"unit": "元", "qualifier": "tier"}, "4000亿元级"),
        (670e9, "en", {"unit": "yuan", "qualifier": "over"}, "over 670 billion yuan"),
        (670e9, "zh", {"unit": "元", "qualifier": "over"}, "超过6700亿元"),
        (96.22e9, "en", {"unit": "US$", "qualifier": "about"}, "about 96.22 billion US dollars"),
        (120e6, "zh", {"unit": "人次/年", "qualifier": "over"}, "超过1.2亿人次每年"),
        (6, "en", {"fmt": "plain"}, "6"),
        (2.5e6, "en", {"unit": "m²"}, "2.5 million square metres"),
    ],
)
def test_spoken_figures(value: float, lang: str, options: dict[str, str], said: str) -> None:
    assert spoken_figure(format_figure(value, lang, **options)) == said  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("0", "零"),
        ("7", "七"),
        ("10", "十"),
        ("15", "十五"),
        ("40", "四十"),
        ("75", "七十五"),
        ("100", "一百"),
        ("105", "一百零五"),
        ("1005", "一千零五"),
        ("1050", "一千零五十"),
        ("1,360", "一千三百六十"),
        ("10005", "一万零五"),
        ("100000", "十万"),
        ("1000000", "一百万"),
        ("120000000", "一亿二千万"),
        ("100000001", "一亿零一"),
        ("55.5", "五十五点五"),
        ("0.25", "零点二五"),
        ("12a", "12a"),
    ],
)
def test_zh_number(number: str, words: str) -> None:
    assert zh_number(number) == words


@pytest.mark.parametrize(
    ("text", "lang", "said"),
    [
        ("1,360 km²", "en", "1,360 square kilometres."),
        ("1360km²", "zh", "1360平方公里。"),
        ("75%", "en", "75 per cent."),
        ("over 40 % of trade", "en", "over 40 per cent of trade."),
        ("重庆75%的新能源汽车", "zh", "重庆百分之七十五的新能源汽车。"),
        ("40%以上", "zh", "百分之四十以上。"),
        ("2026–2030", "en", "2026 to 2030."),
        ("2026-2030", "en", "2026 to 2030."),
        ("2026—2030年", "zh", "2026年至2030年。"),
        ("未来五年（2026—2030年）的任务", "zh", "未来五年，2026年至2030年的任务。"),
        ("US$96.22 billion", "en", "96.22 billion US dollars."),
        ("seaport + airport", "en", "seaport plus airport."),
        ("“水港+空港”双功能", "zh", "水港加空港双功能。"),
        ("120 million+ yearly", "en", "more than 120 million yearly."),
        ("Teal: a · Gold: b", "en", "Teal: a. Gold: b."),
        ("青：行政区　金：开发区", "zh", "青：行政区，金：开发区。"),
        ("Source: ECNS, Jan 2026", "en", "Source: ECNS, January 2026."),
        ("on 2010-06-18", "en", "on 18 June 2010."),
        ("2010-06-18", "zh", "2010年6月18日。"),
        ("Chengdu–Chongqing", "en", "Chengdu-Chongqing."),
        ("the “Two Sessions” and Liangjiang's", "en", "the Two Sessions and Liangjiang's."),
        ("首届“两会”", "zh", "首届两会。"),
        ("重\u2060庆\u2060两\u2060江", "zh", "重庆两江。"),
        ("One\n\nTwo", "en", "One. Two."),
        ("一\n\n二", "zh", "一。二。"),
        ("Where is it?", "en", "Where is it?"),
        ("在哪里？", "zh", "在哪里？"),
        ("Intelligent vehicles (NEVs) made", "en", "Intelligent vehicles, NEVs, made."),
        ("• first\n• second", "en", "first. second."),
        ("Plan:", "en", "Plan."),
        ("a / b", "en", "a or b."),
        ("AI赋能千行百业", "zh", "AI赋能千行百业。"),
        ("Int'l Airport", "en", "Int'l Airport."),
        ("5 km and 3 t", "en", "5 kilometres and 3 tonnes."),
        ("约5 km", "zh", "约5公里。"),
        ("Room №5 → exit", "en", "Room number 5 to exit."),
        ("江北→渝北", "zh", "江北到渝北。"),
    ],
)
def test_speakable(text: str, lang: str, said: str) -> None:
    assert speakable(text, lang) == said
    assert speakable(said, lang) == said  # idempotent: a script made twice says the same
    assert unreadable(said) == []


# -- deck scripts and recordings -----------------------------------------------------------------


def tone(seconds: float, rate: int = 8000, *, silent: bool = False) -> bytes:
    """A WAV of a soft tone (or silence), written with the standard library."""
    frames = b"".join(
        struct.pack("<h", 0 if silent else int(6000 * math.sin(i / 4)))
        for i in range(int(rate * seconds))
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(frames)
    return out.getvalue()


def encoded(seconds: float, fmt: str, subtype: str | None = None, rate: int = 8000) -> bytes:
    samples = 0.2 * np.sin(np.arange(int(rate * seconds)) / 4)
    out = io.BytesIO()
    soundfile.write(out, samples, rate, format=fmt, subtype=subtype)
    return out.getvalue()


def slide(audio: str, extra: str = "") -> str:
    return f"id: one\ntype: title\ntitle: {{zh: 标题, en: Title}}\n{extra}audio: {audio}\n"


def problems_of(root: Path) -> list[str]:
    _, problems = check_folder(root)
    return [str(p) for p in problems if p.path == "slides/one.yaml"]


def test_recordings_of_each_format_load_and_reach_the_scripts(tmp_path: Path) -> None:
    root = write_show(
        tmp_path,
        {
            "slides/one.yaml": slide("{zh: audio/one.zh.flac, en: audio/one.en.ogg}"),
            "slides/two.yaml": slide("{zh: audio/two.wav}").replace("id: one", "id: two"),
            "audio/one.zh.flac": encoded(1.0, "FLAC"),
            "audio/one.en.ogg": encoded(1.0, "OGG", "VORBIS"),
            "audio/two.wav": tone(1.0),
            "slides/three.yaml": slide("{zh: audio/opus.ogg, en: audio/float.wav}").replace(
                "id: one", "id: three"
            ),
            "audio/opus.ogg": encoded(1.0, "OGG", "OPUS", rate=48000),
            "audio/float.wav": encoded(1.0, "WAV", "FLOAT"),
            "deck.yaml": BASE_FILES["deck.yaml"] + "  - slides/three.yaml\n",
        },
    )
    deck, problems = check_folder(root)
    assert [str(p) for p in problems] == []
    assert deck is not None
    scripts = {(s.slide_id, s.lang): s for s in deck_scripts(deck) if s.kind == "slide"}
    assert scripts["one", "zh"].audio == root / "audio/one.zh.flac"
    assert scripts["one", "en"].audio == root / "audio/one.en.ogg"
    assert scripts["two", "zh"].audio == root / "audio/two.wav"
    assert scripts["two", "en"].audio is None
    assert recorded(deck, deck.slides[1], "en") is None
    assert [(s.slide_id, s.lang) for s in deck_scripts(deck, ["en"])] == [
        ("one", "en"),
        ("two", "en"),
        ("three", "en"),
    ]
    with pytest.raises(dataclasses.FrozenInstanceError):
        scripts["one", "zh"].text = "changed"  # type: ignore[misc]
    assert isinstance(scripts["one", "zh"], Script)


def test_a_new_recording_is_a_new_revision(tmp_path: Path) -> None:
    files: dict[str, str | bytes | None] = {
        "slides/one.yaml": slide("{zh: audio/one.wav}"),
        "audio/one.wav": tone(1.0),
    }
    first = load_deck(write_show(tmp_path / "a", files)).revision
    again = load_deck(write_show(tmp_path / "b", files)).revision
    other = load_deck(write_show(tmp_path / "c", {**files, "audio/one.wav": tone(1.5)})).revision
    assert first == again != other


AT = "slides/one.yaml:4:13: title.audio.zh"
CANNOT_PLAY = f'{AT}: cannot play "audio/one.wav": '
RECORDING = "{zh: audio/one.wav}"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param({}, [f'{AT}: audio file "audio/one.wav" does not exist'], id="missing"),
        pytest.param(
            {"audio/one-zh.wav": tone(1.0)},
            [f'{AT}: audio file "audio/one.wav" does not exist; did you mean "audio/one-zh.wav"?'],
            id="misspelt",
        ),
        pytest.param(
            {"audio/one.wav/inside.wav": tone(1.0)},
            [f'{AT}: cannot read audio file "audio/one.wav": it is a folder, not a file'],
            id="folder",
        ),
        pytest.param(
            {"audio/one.wav": "Not a recording: a text file named .wav.\n" * 20},
            [
                CANNOT_PLAY + "it is not a readable audio file (Format not recognised); the "
                "kiosk plays WAV, FLAC or Ogg Vorbis"
            ],
            id="text-named-wav",
        ),
        pytest.param(
            {"audio/one.wav": tone(1.0)[:8000]},
            [
                CANNOT_PLAY + "it is cut short: its header promises 16,000 bytes of sound and "
                "the file holds 7,956"
            ],
            id="truncated-wav",
        ),
        pytest.param({"audio/one.wav": b""}, [CANNOT_PLAY + "the file is empty"], id="empty"),
        pytest.param(
            {"audio/one.wav": tone(0)},
            [CANNOT_PLAY + "it holds no sound (it is empty, or cut short)"],
            id="no-frames",
        ),
        pytest.param(
            {"audio/one.wav": tone(0.05)},
            [CANNOT_PLAY + "it is 0.05 s long, too short to hear"],
            id="too-short",
        ),
        pytest.param(
            {"audio/one.wav": encoded(1.0, "FLAC")},
            [CANNOT_PLAY + "it is FLAC audio, but its name ends in .wav; name it as what it is"],
            id="flac-named-wav",
        ),
        pytest.param(
            {"audio/one.wav": encoded(1.0, "AIFF", "PCM_16")},
            [CANNOT_PLAY + "it is AIFF PCM 16 audio; the kiosk plays WAV, FLAC or Ogg Vorbis"],
            id="aiff-named-wav",
        ),
        pytest.param(
            {"audio/one.wav": tone(1.0, rate=4000)},
            [CANNOT_PLAY + "its sample rate is 4,000 Hz; the kiosk plays 8,000 to 192,000 Hz"],
            id="sample-rate",
        ),
        pytest.param(
            {"audio/one.wav": tone(1.0, silent=True)},
            [
                'slides/one.yaml:4:13: warning: title.audio.zh: "audio/one.wav" is silent (every '
                "sample is zero)"
            ],
            id="silent",
        ),
        pytest.param(
            {"audio/one.wav": tone(10.5)},
            [
                "slides/one.yaml:4:13: warning: title.audio.zh: the recording is 10.5 s long, "
                "longer than the slide's 10 s in the loop, which moves on before it ends"
            ],
            id="longer-than-the-slide",
        ),
    ],
)
def test_recording_problems(
    tmp_path: Path, files: dict[str, str | bytes | None], expected: list[str]
) -> None:
    root = write_show(tmp_path, {"slides/one.yaml": slide(RECORDING), **files})
    assert problems_of(root) == expected


@pytest.mark.parametrize(
    ("audio", "files", "expected"),
    [
        pytest.param(
            "{zh: audio/one.flac}",
            {"audio/one.flac": encoded(1.0, "FLAC")[:3000]},
            [
                'slides/one.yaml:4:13: title.audio.zh: cannot play "audio/one.flac": it is cut '
                "short: its last part cannot be read"
            ],
            id="truncated-flac",
        ),
        pytest.param(
            "{zh: audio/one.mp3}",
            {"audio/one.mp3": tone(1.0)},
            [
                'slides/one.yaml:4:13: title.audio.zh: "audio/one.mp3" is not a recording '
                "(.wav, .flac, .ogg, .oga)"
            ],
            id="mp3",
        ),
        pytest.param(
            "{zh: ../outside.wav}",
            {},
            [
                'slides/one.yaml:4:13: title.audio.zh: path "../outside.wav" leads outside the '
                "content folder; files must be inside it"
            ],
            id="escaping",
        ),
        pytest.param(
            "{zh: /tmp/one.wav}",
            {},
            [
                'slides/one.yaml:4:13: title.audio.zh: absolute path "/tmp/one.wav" is not '
                "allowed; write the path relative to the content folder"
            ],
            id="absolute",
        ),
        pytest.param(
            "{fr: audio/one.wav}",
            {"audio/one.wav": tone(1.0)},
            ['slides/one.yaml:4:9: title.audio.fr: expected one of zh, en, got "fr"'],
            id="unknown-language",
        ),
        pytest.param(
            "{}",
            {},
            ["slides/one.yaml:4:8: title.audio: needs at least 1 item, has 0"],
            id="no-language",
        ),
        pytest.param(
            "audio/one.wav",
            {"audio/one.wav": tone(1.0)},
            [
                "slides/one.yaml:4:8: title.audio: expected a mapping (key: value lines), got "
                '"audio/one.wav"'
            ],
            id="not-a-mapping",
        ),
    ],
)
def test_recording_paths(
    tmp_path: Path, audio: str, files: dict[str, str | bytes | None], expected: list[str]
) -> None:
    root = write_show(tmp_path / "show", {"slides/one.yaml": slide(audio), **files})
    (tmp_path / "outside.wav").write_bytes(tone(1.0))
    assert problems_of(root) == expected


def test_a_recording_in_a_language_the_deck_does_not_show(tmp_path: Path) -> None:
    deck = "title: T\nlanguages: [zh]\nmetrics: [metrics.yaml]\nslides: [slides/one.yaml]\n"
    root = write_show(
        tmp_path,
        {
            "deck.yaml": deck,
            "slides/one.yaml": slide("{en: audio/one.wav}"),
            "slides/two.yaml": None,
            "audio/one.wav": tone(1.0),
        },
    )
    assert problems_of(root) == [
        "slides/one.yaml:4:9: title.audio.en: the deck is not shown in English (en); its "
        "languages are zh"
    ]


def test_a_recording_longer_than_the_slides_own_duration(tmp_path: Path) -> None:
    root = write_show(
        tmp_path,
        {"slides/one.yaml": slide(RECORDING, "duration: 1\n"), "audio/one.wav": tone(1.5)},
    )
    assert problems_of(root) == [
        "slides/one.yaml:5:13: warning: title.audio.zh: the recording is 1.5 s long, longer "
        "than the slide's 1 s in the loop, which moves on before it ends"
    ]


def test_a_symbolic_link_out_of_the_folder(tmp_path: Path) -> None:
    (tmp_path / "elsewhere.wav").write_bytes(tone(1.0))
    root = write_show(tmp_path / "show", {"slides/one.yaml": slide(RECORDING)})
    (root / "audio").mkdir()
    (root / "audio/one.wav").symlink_to(tmp_path / "elsewhere.wav")
    assert problems_of(root) == [
        f'{AT}: path "audio/one.wav" leads outside the content folder; files must be inside it'
    ]


def test_a_link_inside_the_folder_is_followed(tmp_path: Path) -> None:
    root = write_show(
        tmp_path, {"slides/one.yaml": slide(RECORDING), "recordings/one.wav": tone(1.0)}
    )
    (root / "audio").mkdir()
    (root / "audio/one.wav").symlink_to(root / "recordings/one.wav")
    assert problems_of(root) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    root = write_show(tmp_path, {"slides/one.yaml": slide(RECORDING)})
    (root / "audio").mkdir()
    os.mkfifo(root / "audio/one.wav")
    assert problems_of(root) == [
        f'{AT}: cannot read audio file "audio/one.wav": it is a named pipe (FIFO), not a '
        "regular file"
    ]


def test_gigantic_recordings_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader_module, "MAX_AUDIO_BYTES", 10_000)
    root = write_show(
        tmp_path / "a", {"slides/one.yaml": slide(RECORDING), "audio/one.wav": tone(1.0)}
    )
    assert problems_of(root) == [
        f'{AT}: cannot read audio file "audio/one.wav": the file is too large (16,044 bytes; at '
        "most 10,000)"
    ]
    monkeypatch.setattr(audio_module, "MAX_AUDIO_SECONDS", 1.0)
    root = write_show(
        tmp_path / "b", {"slides/one.yaml": slide(RECORDING), "audio/one.wav": tone(0.6)}
    )
    assert problems_of(root) == []
    monkeypatch.setattr(loader_module, "MAX_AUDIO_BYTES", 1_000_000)
    root = write_show(
        tmp_path / "c", {"slides/one.yaml": slide(RECORDING), "audio/one.wav": tone(2.0)}
    )
    assert problems_of(root) == [
        CANNOT_PLAY + "it is 2 s long; a slide's recording may be at most 1 s"
    ]


@pytest.mark.parametrize("folder", [BUNDLED, CHARTS, REPO / "tests" / "fixtures" / "diagram"])
def test_every_card_a_view_opens_has_its_script_made_ahead(qtbot: QtBot, folder: Path) -> None:
    """The window speaks a card by its view's title and text: each must be one of the scripts
    made ahead (else a visitor's listen would find nothing ready), keyed as the view keys it."""
    deck = load_deck(folder)
    made = {(s.slide_id, s.lang, s.card): s.text for s in deck_scripts(deck) if s.kind == "card"}
    for slide in deck.slides:
        for lang in deck.settings.languages:
            view = shown_view(qtbot, deck, slide, (1920, 1080), lang)
            targets = view.hit_targets()
            assert [t.key for t in targets] == [c.key for c in slide_cards(deck, slide)]
            for target in targets:
                said = card_script(target.title, target.detail, lang)
                assert made[slide.id, lang, target.key] == said, (slide.id, target.key)
            view.close()


@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=60), st.sampled_from(["zh", "en"]))
@settings(max_examples=300, deadline=None)
def test_any_text_is_made_speakable(text: str, lang: str) -> None:
    said = speakable(text, lang)
    assert unreadable(said) == []
    assert speakable(said, lang) == said


def test_a_dangling_link_is_told_as_one(tmp_path: Path) -> None:
    root = write_show(tmp_path, {"slides/one.yaml": slide(RECORDING)})
    (root / "audio").mkdir()
    (root / "audio/one.wav").symlink_to(root / "audio/gone.wav")
    assert problems_of(root) == [
        f'{AT}: audio file "audio/one.wav" is a symbolic link to something that does not exist'
    ]


@pytest.mark.parametrize("folder", [BUNDLED, CHARTS])
def test_every_unit_the_content_writes_is_said_in_words(folder: Path) -> None:
    deck = load_deck(folder)
    units = {
        (lang, text.get(lang))
        for text in [m.unit for m in deck.metrics.values()]
        + [s.unit for s in deck.slides if isinstance(s, ChartSlide)]
        if text is not None
        for lang in deck.settings.languages
    }
    assert units
    for lang, unit in sorted(units):
        said = unit_words(unit, lang)
        assert said, unit
        assert unreadable(said) == [], (unit, said)


def test_an_hour_of_compressed_silence_is_refused_from_its_header(tmp_path: Path) -> None:
    """A long silence compresses to little: its length is refused before a sample is read."""
    out = io.BytesIO()
    with soundfile.SoundFile(out, "w", 8000, 1, format="FLAC") as file:
        minute = np.zeros(8000 * 60, dtype="int16")
        for _ in range(60):
            file.write(minute)
    assert len(out.getvalue()) < audio_module.MAX_AUDIO_BYTES
    root = write_show(
        tmp_path,
        {"slides/one.yaml": slide("{zh: audio/one.flac}"), "audio/one.flac": out.getvalue()},
    )
    assert problems_of(root) == [
        'slides/one.yaml:4:13: title.audio.zh: cannot play "audio/one.flac": it is 3,600 s long; '
        "a slide's recording may be at most 600 s"
    ]
