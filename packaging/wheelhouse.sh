#!/bin/sh
# wheelhouse.sh: on a machine with internet, fill a folder with every wheel a kiosk needs, so
# that halls without internet install from it (a USB stick, a file share):
#
#   packaging/wheelhouse.sh /media/usb/wheels
#   sudo KIOSK_PIP_ARGS="--no-index --find-links /media/usb/wheels" packaging/install.sh
#
# The folder holds the app's own wheel, its runtime dependencies exactly as pinned (with their
# hashes) in packaging/requirements.lock, and what pip needs to build and install (setuptools,
# for the app's build). Build it with the Python the halls run (Debian 12: 3.11), on the same
# kind of processor: the wheels of PySide6 and numpy are made for one Python and one platform.
#
# Variables:
#   PYTHON=python3   the Python whose wheels are fetched
set -eu

PYTHON=${PYTHON:-python3}
SRC=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
[ $# -eq 1 ] || { echo "usage: $0 FOLDER" >&2; exit 2; }
DIR=$1
mkdir -p "$DIR"

say() { printf 'wheelhouse: %s\n' "$*"; }

say "fetching the pinned dependencies into $DIR"
"$PYTHON" -m pip download --quiet --disable-pip-version-check --only-binary=:all: \
    --require-hashes -r "$SRC/packaging/requirements.lock" --dest "$DIR"
say "fetching the build tools into $DIR"
"$PYTHON" -m pip download --quiet --disable-pip-version-check --only-binary=:all: \
    'setuptools>=77' --dest "$DIR"
say "building the app's wheel into $DIR"
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
# shellcheck source=source.sh
. "$SRC/packaging/source.sh"
copy_source "$build"
"$PYTHON" -m pip wheel --quiet --disable-pip-version-check --no-deps --wheel-dir "$DIR" \
    --find-links "$DIR" "$build"
say "done: $(find "$DIR" -name '*.whl' | wc -l | tr -d ' ') wheels in $DIR"
