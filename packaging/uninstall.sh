#!/bin/sh
# uninstall.sh: remove what packaging/install.sh installed.
#
#   sudo packaging/uninstall.sh            remove the app, the units and the session; keep the
#                                          configuration, the content, the logs and the user
#   sudo packaging/uninstall.sh --purge    remove those too
#
# Honours PREFIX, DESTDIR and KIOSK_USER as install.sh does (DESTDIR: remove a staged copy and
# change nothing else). System packages stay: other software may use them.
set -eu

PREFIX=${PREFIX:-/opt/liangjiang-kiosk}
DESTDIR=${DESTDIR:-}
KIOSK_USER=${KIOSK_USER:-liangjiang-kiosk}
PURGE=${PURGE:-}
ETC=/etc/liangjiang-kiosk
STATE=/var/lib/liangjiang-kiosk
LOGS=/var/log/liangjiang-kiosk
UNITS=/etc/systemd/system

for arg in "$@"; do
    case $arg in
        --purge) PURGE=1 ;;
        -h|--help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "uninstall: unknown option $arg" >&2; exit 2 ;;
    esac
done

say() { printf 'uninstall: %s\n' "$*"; }
system() {
    if [ -n "$DESTDIR" ]; then say "skipped (DESTDIR): $*"; else "$@"; fi
}

case $PREFIX in
    /*) ;;
    *) echo "uninstall: PREFIX must be an absolute path" >&2; exit 2 ;;
esac
if [ -z "$DESTDIR" ] && [ "$(id -u)" != 0 ]; then
    echo "uninstall: run as root (sudo $0), or set DESTDIR" >&2
    exit 1
fi

# 1. Stop and disable (a staged copy: remove its enablement links offline).
units="liangjiang-kiosk.service kiosk-sync.timer kiosk-sync.service"
if [ -n "$DESTDIR" ]; then
    if command -v systemctl >/dev/null 2>&1; then
        # shellcheck disable=SC2086  # a list of units
        systemctl --root="$DESTDIR" disable --quiet $units 2>/dev/null || true
    fi
else
    # shellcheck disable=SC2086
    systemctl disable --now --quiet $units 2>/dev/null || true
fi

# 2. Units, session, boot settings, the app.
for unit in $units; do
    rm -f "$DESTDIR$UNITS/$unit"
done
rm -f "$DESTDIR/etc/pam.d/liangjiang-kiosk"
rm -f "$DESTDIR/etc/systemd/journald.conf.d/liangjiang-kiosk.conf"
rm -f "$DESTDIR/var/lib/prometheus/node-exporter/liangjiang-kiosk.prom"  # the metrics' link
if [ -e "$DESTDIR/etc/default/grub.d/liangjiang-kiosk.cfg" ]; then
    rm -f "$DESTDIR/etc/default/grub.d/liangjiang-kiosk.cfg"
    if command -v update-grub >/dev/null 2>&1; then
        system update-grub
    fi
fi
system systemctl unmask --quiet sleep.target suspend.target hibernate.target hybrid-sleep.target
if [ "$(readlink "$DESTDIR/usr/local/bin/kiosk" 2>/dev/null || true)" = "$PREFIX/venv/bin/kiosk" ]
then
    rm -f "$DESTDIR/usr/local/bin/kiosk"
fi
rm -rf "$DESTDIR$PREFIX"
system systemctl daemon-reload
say "removed the app ($PREFIX), the units and the session"

# 3. What the installer made its own: only with --purge.
if [ -n "$PURGE" ]; then
    rm -rf "$DESTDIR$ETC" "$DESTDIR$STATE" "$DESTDIR$LOGS"
    if id "$KIOSK_USER" >/dev/null 2>&1; then
        system userdel "$KIOSK_USER"
    fi
    say "purged the configuration, the content, the logs and the user $KIOSK_USER"
else
    say "kept $ETC, $STATE, $LOGS and the user $KIOSK_USER (--purge removes them)"
fi
