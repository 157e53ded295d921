# source.sh: sourced by install.sh and wheelhouse.sh; the app's source, as pip builds it.
#
# copy_source DIR: copy what the wheel is built from (pyproject.toml lists the packages, the
# top-level content/ is the bundled deck, README.md and LICENSE its metadata) into DIR,
# without the checkout's compiled files, so the checkout itself stays clean.
copy_source() {
    cp -R "$SRC/pyproject.toml" "$SRC/README.md" "$SRC/LICENSE" "$SRC/kiosk" "$SRC/content" "$1/"
    find "$1" -name __pycache__ -type d -prune -exec rm -rf {} +
}
