#!/bin/sh
# install.sh: install Liangjiang Kiosk on a Debian or Ubuntu PC with a touch screen.
#
#   sudo packaging/install.sh                   install, or upgrade in place (run it again)
#   DESTDIR=/tmp/stage packaging/install.sh     stage every file under /tmp/stage and change
#                                               nothing else (no user, apt or systemctl)
#
# What it does: installs the system packages (cage, fonts, Qt's libraries, git), creates the
# user liangjiang-kiosk, puts the app in its own virtual environment under PREFIX, writes the
# configuration (/etc/liangjiang-kiosk/kiosk.yaml, kept if it exists), the systemd units and
# the PAM session, turns off console blanking and suspend, and enables the show at boot.
# It keeps the configuration, the PIN and the content when run again.
#
# Variables:
#   PREFIX=/opt/liangjiang-kiosk   where the app goes (PREFIX/venv, PREFIX/libexec, PREFIX/share)
#   DESTDIR=                       stage into this folder instead of the system
#   KIOSK_USER=liangjiang-kiosk    the user the show runs as
#   PYTHON=python3                 the Python (3.11 or newer) that makes the virtual environment
#   CONTENT_REPO=                  on first install, clone the content from this git URL
#   CONTENT_BRANCH=                ... and follow this branch
#   NO_APT=1                       do not install system packages
#   KIOSK_PIP_ARGS=                extra arguments for pip; a hall without internet installs
#                                  from a folder packaging/wheelhouse.sh filled elsewhere:
#                                  KIOSK_PIP_ARGS="--no-index --find-links DIR"
#
# The dependencies are exactly those pinned, with their hashes, in packaging/requirements.lock.
# A staged install (DESTDIR) can be packaged: nothing in it names DESTDIR (the scripts' first
# lines and the compiled files point at PREFIX).
set -eu

PREFIX=${PREFIX:-/opt/liangjiang-kiosk}
DESTDIR=${DESTDIR:-}
KIOSK_USER=${KIOSK_USER:-liangjiang-kiosk}
PYTHON=${PYTHON:-python3}
CONTENT_REPO=${CONTENT_REPO:-}
CONTENT_BRANCH=${CONTENT_BRANCH:-}
NO_APT=${NO_APT:-}
KIOSK_PIP_ARGS=${KIOSK_PIP_ARGS:-}

SRC=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
PKG=$SRC/packaging
ETC=/etc/liangjiang-kiosk
STATE=/var/lib/liangjiang-kiosk
LOGS=/var/log/liangjiang-kiosk
UNITS=/etc/systemd/system
VENV=$PREFIX/venv

# The session: cage, xwayland (cage 0.1.4 will not start without it), dbus, libpam-systemd,
# procps (kiosk-session stops the show with pkill). The app: python3 python3-venv, Qt's Wayland
# and OpenGL libraries with Mesa's software renderer, the fonts. Content sync: git gnupg ssh.
# Narration: espeak-ng (offline speech, Mandarin and English voices), alsa-utils (aplay).
SYSTEM_PACKAGES="cage xwayland dbus libpam-systemd procps python3 python3-venv ca-certificates
    fonts-noto-cjk fonts-inter fontconfig libfontconfig1 libglib2.0-0 libdbus-1-3
    libegl1 libgl1 libegl-mesa0 libgl1-mesa-dri libxkbcommon0
    libwayland-client0 libwayland-cursor0 libwayland-egl1
    git gnupg openssh-client espeak-ng alsa-utils"

say() { printf 'install: %s\n' "$*"; }
die() { printf 'install: %s\n' "$*" >&2; exit 1; }
# Changes to the running system happen only in a real install; a staged one says what it skips.
system() {
    if [ -n "$DESTDIR" ]; then say "skipped (DESTDIR): $*"; else "$@"; fi
}
# Copy a packaging file with @PREFIX@ and @USER@ filled in, atomically, with a mode.
subst() {
    sed -e "s|@PREFIX@|$PREFIX|g" -e "s|@USER@|$KIOSK_USER|g" "$1" >"$2.new"
    chmod "$3" "$2.new"
    mv -f "$2.new" "$2"
}

case $PREFIX in
    /*) ;;
    *) die "PREFIX must be an absolute path, not $PREFIX" ;;
esac
if [ -z "$DESTDIR" ] && [ "$(id -u)" != 0 ]; then
    die "run as root (sudo $0), or set DESTDIR to stage the files somewhere"
fi
if [ -n "$DESTDIR" ]; then
    DESTDIR=$(mkdir -p "$DESTDIR" && CDPATH='' cd -- "$DESTDIR" && pwd)
    say "staging into $DESTDIR"
fi

# 1. System packages.
if [ -n "$NO_APT" ]; then
    say "NO_APT is set: not installing system packages"
else
    system apt-get update -q
    # shellcheck disable=SC2086  # a list of package names
    system env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        $SYSTEM_PACKAGES
    # Display power outside opening hours (kiosk.yaml's schedule): wlopm asks the compositor to
    # switch the screen off (wlroots' output power management). Debian 13 has it; Debian 12 has
    # not, nor does its cage 0.1.4 offer the protocol: there the show sleeps on a black screen.
    # HDMI-CEC (cec-utils) is added by hand where a hall uses it (docs/deploy.md, the timetable).
    if [ -z "$DESTDIR" ] && apt-cache show wlopm >/dev/null 2>&1; then
        system env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            wlopm
    fi
fi
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
    die "$PYTHON is older than 3.11; install a newer Python or set PYTHON"

# 2. The user the show runs as: no password, no shell, its home is the state folder.
if id "$KIOSK_USER" >/dev/null 2>&1; then
    say "user $KIOSK_USER exists"
else
    system useradd --system --user-group --home-dir "$STATE" --no-create-home \
        --shell /usr/sbin/nologin --comment "Liangjiang Kiosk" "$KIOSK_USER"
fi
# video, render and input for cage; audio for the narration's player (logind also grants the
# seat's sound devices to the session, the group keeps it working without a seat ACL).
for group in video input render audio; do
    if getent group "$group" >/dev/null 2>&1; then
        system usermod --append --groups "$group" "$KIOSK_USER"
    fi
done

# 3. The app, in its own virtual environment, built from a copy of this checkout (pip builds
# in the source folder; the checkout stays clean).
mkdir -p "$DESTDIR$PREFIX"
# (A venv whose Python was removed by a Debian upgrade is made again.)
if ! "$DESTDIR$VENV/bin/python" -c '' >/dev/null 2>&1; then
    say "creating the virtual environment $DESTDIR$VENV"
    rm -rf "$DESTDIR$VENV"
    "$PYTHON" -m venv "$DESTDIR$VENV"
fi
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
# shellcheck source=source.sh
. "$PKG/source.sh"
copy_source "$build"
pip() {
    # shellcheck disable=SC2086  # extra pip arguments
    "$DESTDIR$VENV/bin/python" -m pip --disable-pip-version-check install --quiet --no-compile \
        $KIOSK_PIP_ARGS "$@"
}
say "installing the pinned dependencies (packaging/requirements.lock) into $DESTDIR$VENV"
pip --require-hashes -r "$SRC/packaging/requirements.lock"
say "installing the app into $DESTDIR$VENV"
# A local folder is always reinstalled; the dependencies are the pinned ones above.
pip --upgrade --force-reinstall --no-deps "$build"
# Compiled once here, as the show cannot write beside its code (ProtectSystem=strict), with the
# paths the files will have on the kiosk. (As with pip's own compiling, a few templates that
# PySide6 ships as .py do not compile; they are never imported.)
"$DESTDIR$VENV/bin/python" -m compileall -q -f -j 0 ${DESTDIR:+-s "$DESTDIR" -p /} \
    "$DESTDIR$VENV/lib" >/dev/null 2>&1 || true
if [ -n "$DESTDIR" ]; then
    # venv and pip write the path they were given into the scripts; a staged tree is packaged
    # to be used at PREFIX.
    for script in "$DESTDIR$VENV"/bin/* "$DESTDIR$VENV/pyvenv.cfg"; do
        if [ ! -f "$script" ] || [ -L "$script" ]; then continue; fi
        if grep -q -F "$DESTDIR$VENV" "$script"; then
            sed -e "s|$DESTDIR$VENV|$VENV|g" "$script" >"$script.new"
            chmod --reference="$script" "$script.new"
            mv -f "$script.new" "$script"
        fi
    done
fi

# 4. Scripts, the bundled deck (a sample and the first content), the guide, the command.
mkdir -p "$DESTDIR$PREFIX/libexec" "$DESTDIR$PREFIX/share/doc" "$DESTDIR/usr/local/bin"
subst "$PKG/kiosk-session" "$DESTDIR$PREFIX/libexec/kiosk-session" 0755
subst "$PKG/kiosk-sync.sh" "$DESTDIR$PREFIX/libexec/kiosk-sync.sh" 0755
rm -rf "$DESTDIR$PREFIX/share/content"
cp -R "$SRC/content" "$DESTDIR$PREFIX/share/content"
cp "$SRC/docs/deploy.md" "$DESTDIR$PREFIX/share/doc/deploy.md"
ln -sfn "$VENV/bin/kiosk" "$DESTDIR/usr/local/bin/kiosk"

# 5. Configuration: written once, then the installer's.
mkdir -p "$DESTDIR$ETC"
if [ -e "$DESTDIR$ETC/kiosk.yaml" ]; then
    say "keeping $ETC/kiosk.yaml"
else
    subst "$PKG/kiosk.yaml" "$DESTDIR$ETC/kiosk.yaml" 0640
    system chgrp "$KIOSK_USER" "$ETC/kiosk.yaml"
fi
if [ -e "$DESTDIR$ETC/sync.env" ]; then
    say "keeping $ETC/sync.env"
else
    subst "$PKG/sync.env" "$DESTDIR$ETC/sync.env" 0644
fi
"$DESTDIR$VENV/bin/python" -m kiosk.ops.config "$DESTDIR$ETC/kiosk.yaml" ||
    die "fix $ETC/kiosk.yaml (the problems are above) and run this again"

# 6. State and logs; the first content: a git clone, or the bundled deck.
mkdir -p "$DESTDIR$STATE" "$DESTDIR$LOGS"
system chown "$KIOSK_USER:$KIOSK_USER" "$STATE" "$LOGS"
if [ -e "$DESTDIR$STATE/content" ]; then
    say "keeping the content in $STATE/content"
elif [ -n "$CONTENT_REPO" ]; then
    say "cloning $CONTENT_REPO into $STATE/content"
    # As the kiosk's user, with its SSH key or credentials, as kiosk-sync.service will fetch.
    as_user=""
    [ -n "$DESTDIR" ] || as_user="runuser -u $KIOSK_USER --"
    $as_user git clone --quiet ${CONTENT_BRANCH:+--branch "$CONTENT_BRANCH"} "$CONTENT_REPO" \
        "$DESTDIR$STATE/content"
else
    say "starting with the bundled deck in $STATE/content"
    cp -R "$SRC/content" "$DESTDIR$STATE/content"
fi
system chown -R "$KIOSK_USER:$KIOSK_USER" "$STATE" "$LOGS"

# The hall's Prometheus reads the show's metrics (kiosk.yaml's metrics_file, in the state
# folder) through node_exporter's textfile collector: where prometheus-node-exporter is
# installed, a link in its folder points at the file (node_exporter follows it; the show
# writes only in its own state folder, the unit lets it write nowhere else).
TEXTFILE_DIR=/var/lib/prometheus/node-exporter
if [ -d "$DESTDIR$TEXTFILE_DIR" ]; then
    say "node_exporter's textfile folder: linking $TEXTFILE_DIR/liangjiang-kiosk.prom"
    ln -sfn "$STATE/liangjiang-kiosk.prom" "$DESTDIR$TEXTFILE_DIR/liangjiang-kiosk.prom"
else
    say "no $TEXTFILE_DIR (prometheus-node-exporter is not installed): metrics stay in $STATE"
fi

# 7. The session and the units.
mkdir -p "$DESTDIR$UNITS" "$DESTDIR/etc/pam.d"
subst "$PKG/liangjiang-kiosk.pam" "$DESTDIR/etc/pam.d/liangjiang-kiosk" 0644
for unit in liangjiang-kiosk.service kiosk-sync.service kiosk-sync.timer; do
    subst "$PKG/$unit" "$DESTDIR$UNITS/$unit" 0644
done

# 8. Never blank, never sleep: the kernel's console blanking off at the next boot, suspend and
# hibernation masked.
mkdir -p "$DESTDIR/etc/default/grub.d"
grub_cfg=$DESTDIR/etc/default/grub.d/liangjiang-kiosk.cfg
# shellcheck disable=SC2016  # $GRUB_CMDLINE_LINUX_DEFAULT is for update-grub to expand
grub_new='# Liangjiang Kiosk (install.sh): the text console never blanks.
GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT consoleblank=0"'
if [ "$(cat "$grub_cfg" 2>/dev/null || true)" != "$grub_new" ]; then
    printf '%s\n' "$grub_new" >"$grub_cfg"
    if command -v update-grub >/dev/null 2>&1; then
        system update-grub
    fi
fi
system systemctl mask --quiet sleep.target suspend.target hibernate.target hybrid-sleep.target

# 8b. The show logs to the journal: kept across reboots and power cuts (a technician reads last
# week's log), and bounded, so a show that logs a lot never fills the disk.
mkdir -p "$DESTDIR/etc/systemd/journald.conf.d"
cp "$PKG/journald.conf" "$DESTDIR/etc/systemd/journald.conf.d/liangjiang-kiosk.conf"
chmod 0644 "$DESTDIR/etc/systemd/journald.conf.d/liangjiang-kiosk.conf"

# 9. Enable at boot. A staged install enables into DESTDIR (systemctl --root works offline).
if [ -n "$DESTDIR" ]; then
    if command -v systemctl >/dev/null 2>&1; then
        systemctl --root="$DESTDIR" enable --quiet liangjiang-kiosk.service kiosk-sync.timer
    else
        say "skipped (no systemctl): enable liangjiang-kiosk.service kiosk-sync.timer"
    fi
else
    systemctl daemon-reload
    systemctl try-restart systemd-journald.service
    systemctl enable --quiet liangjiang-kiosk.service kiosk-sync.timer
    systemctl set-default --quiet graphical.target
    # An upgrade restarts a running show on the new code; a first install waits for a reboot.
    systemctl try-restart liangjiang-kiosk.service
fi

say "done. The app: $VENV; the configuration: $ETC/kiosk.yaml."
say "Next: sudo kiosk pin --config $ETC/kiosk.yaml, then reboot (see $PREFIX/share/doc/deploy.md)."
