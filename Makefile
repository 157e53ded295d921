# Liangjiang Kiosk: `make run` and `make test` are the whole set-up on Debian or Ubuntu.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
CONTENT ?= content
ARGS ?=

# Qt's xcb and offscreen platforms, fonts (Noto Sans CJK for Chinese, Inter for Latin), Xvfb
# for headless screenshots; and for the deployment tests: systemd (systemd-analyze verify),
# git and ssh-keygen (content sync with signed tags), shellcheck (the packaging scripts);
# xdotool (real X11 input), cage, xwayland and grim (the hall session on Wayland, screenshot);
# prometheus for promtool (the hall's alert rules checked and unit-tested, packaging/monitoring);
# wayland-utils (wayland-info: what cage offers its client, for the display power test);
# espeak-ng (offline speech, voices cmn and en-gb) and alsa-utils (aplay) for the narration.
SYSTEM_PACKAGES := fonts-noto-cjk fonts-inter fontconfig libegl1 libgl1 libglib2.0-0 \
	libdbus-1-3 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 \
	libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 \
	libxcb-xinerama0 xvfb xauth xdotool x11-utils systemd git openssh-client shellcheck \
	python3-venv python3-pip cage xwayland grim libwayland-client0 libwayland-cursor0 libwayland-egl1 \
	prometheus wayland-utils espeak-ng alsa-utils

.PHONY: help setup system-deps run test lint render screenshots clean

help:
	@echo "make run     set up, then start the kiosk (windowed) on the bundled deck"
	@echo "make test    set up, then run the lint and the whole test suite headless"
	@echo "make render  set up, then render every slide of the deck to PNG in renders/"
	@echo "make screenshots  set up, then redraw the README's pictures in docs/"
	@echo "make clean   remove the virtual environment and caches"

setup: system-deps $(VENV)/.installed

system-deps:
	@command -v dpkg-query >/dev/null 2>&1 || { \
		echo "Not a Debian/Ubuntu system: install Qt's runtime libraries and the Noto Sans CJK and Inter fonts yourself."; \
		exit 0; }; \
	missing=""; \
	for p in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "Installing system packages:$$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	else \
		echo "The kiosk needs these system packages, which need root to install:"; \
		echo ""; \
		echo "    sudo apt-get install -y$$missing"; \
		echo ""; \
		echo "Run that line, then run make again."; \
		exit 1; \
	fi

$(VENV)/.installed: pyproject.toml
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV) || { \
		echo "Could not create $(VENV): run  sudo apt-get install -y python3-venv python3-pip  and try again."; \
		exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

run: setup
	$(VENV)/bin/kiosk run $(CONTENT) $(ARGS)

test: setup lint
	$(PY) -m pytest $(ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check kiosk tests
	$(VENV)/bin/ruff format --check kiosk tests
	$(VENV)/bin/mypy kiosk
	$(VENV)/bin/lint-imports

render: setup
	$(VENV)/bin/kiosk render $(CONTENT) --out renders $(ARGS)

screenshots: setup
	QT_QPA_PLATFORM=offscreen $(PY) docs/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis renders
