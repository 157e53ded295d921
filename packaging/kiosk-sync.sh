#!/bin/sh
# kiosk-sync.sh: bring this kiosk's content checkout up to date with the curators' git repository.
#
# Run by kiosk-sync.service (every few minutes, from kiosk-sync.timer) as the kiosk's user. The
# running show notices the changed files and switches to the new deck only if it is valid.
#
#   kiosk-sync.sh [--dir DIR] [--branch BRANCH] [--remote NAME] [--verify-tag PATTERN]
#                 [--deck SUBFOLDER] [--validate-with KIOSK]
#
# Every option has an environment twin, set in /etc/liangjiang-kiosk/sync.env:
#   KIOSK_SYNC_DIR           the checkout (default /var/lib/liangjiang-kiosk/content)
#   KIOSK_SYNC_BRANCH        the branch to follow (default: the branch checked out)
#   KIOSK_SYNC_REMOTE        the remote (default origin)
#   KIOSK_SYNC_VERIFY_TAG    follow the newest tag matching this pattern (hall-a/*) instead of a
#                            branch, and only if `git verify-tag` accepts its signature
#   KIOSK_SYNC_DECK          the deck's folder inside the repository (default: its top)
#   KIOSK_SYNC_VALIDATE_WITH a `kiosk` command: a new revision whose deck does not validate is
#                            not checked out, so a reboot never starts on a broken deck
#
# Branch mode fast-forwards only (`git merge --ff-only`, what `git pull --ff-only` does): history
# rewritten upstream, local edits or a failed check leave the checkout as it was and exit 1.
# Exit 0: up to date or updated; 1: refused (the message says why); 2: wrong usage.
set -eu

dir=${KIOSK_SYNC_DIR:-/var/lib/liangjiang-kiosk/content}
branch=${KIOSK_SYNC_BRANCH:-}
remote=${KIOSK_SYNC_REMOTE:-origin}
tag_pattern=${KIOSK_SYNC_VERIFY_TAG:-}
deck=${KIOSK_SYNC_DECK:-.}
validate_with=${KIOSK_SYNC_VALIDATE_WITH:-}

usage() {
    sed -n '2,22s/^# \{0,1\}//p' "$0" >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case $1 in
        --dir) dir=${2:?}; shift 2 ;;
        --branch) branch=${2:?}; shift 2 ;;
        --remote) remote=${2:?}; shift 2 ;;
        --verify-tag) tag_pattern=${2:?}; shift 2 ;;
        --deck) deck=${2:?}; shift 2 ;;
        --validate-with) validate_with=${2:?}; shift 2 ;;
        -h|--help) usage ;;
        *) echo "kiosk-sync: unknown option $1" >&2; usage ;;
    esac
done

say() { echo "kiosk-sync: $*"; }
refuse() { echo "kiosk-sync: $*" >&2; exit 1; }

[ -d "$dir" ] || refuse "$dir does not exist"
if [ "$(git -C "$dir" rev-parse --is-inside-work-tree 2>/dev/null)" != true ]; then
    say "$dir is not a git checkout; nothing to sync (see docs/deploy.md to set one up)"
    exit 0
fi
cd "$dir"
# The kiosk shows what the repository says: edits made on the kiosk itself are not overwritten.
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
    refuse "local changes in $dir; nothing updated (see: git -C $dir status)"
fi
before=$(git rev-parse HEAD)

# Check a revision's deck before it reaches the folder the show plays.
check() {
    [ -n "$validate_with" ] || return 0
    tmp=$(mktemp -d)
    if ! git archive --format=tar "$1" | tar -x -m -C "$tmp"; then
        rm -rf "$tmp"
        refuse "cannot unpack $1 to check it"
    fi
    if ! report=$("$validate_with" validate "$tmp/$deck" 2>&1); then
        rm -rf "$tmp"
        printf '%s\n' "$report" >&2
        refuse "revision $(git rev-parse --short "$1") is not a valid deck; kept $(git rev-parse --short "$before")"
    fi
    rm -rf "$tmp"
}

if [ -n "$tag_pattern" ]; then
    git fetch --quiet --tags "$remote" || refuse "cannot fetch from $remote"
    # The newest by date (ties: the highest version-like name).
    tag=$(git tag --list "$tag_pattern" --sort=-v:refname --sort=-creatordate | head -n 1)
    [ -n "$tag" ] || refuse "no tag matches $tag_pattern on $remote"
    if ! git verify-tag "$tag" >/dev/null 2>&1; then
        refuse "tag $tag has no valid signature; kept $(git rev-parse --short "$before")"
    fi
    target=$(git rev-parse "$tag^{commit}")
    if [ "$target" != "$before" ]; then
        check "$target"
        git -c advice.detachedHead=false checkout --quiet --detach "$tag"
    fi
    where="tag $tag"
else
    if [ -z "$branch" ]; then
        branch=$(git symbolic-ref --quiet --short HEAD) ||
            refuse "no branch checked out; set KIOSK_SYNC_BRANCH or --verify-tag"
    fi
    git fetch --quiet "$remote" "+refs/heads/$branch:refs/remotes/$remote/$branch" ||
        refuse "cannot fetch $branch from $remote"
    upstream="refs/remotes/$remote/$branch"
    target=$(git rev-parse "$upstream^{commit}")
    if [ "$(git symbolic-ref --quiet --short HEAD || true)" != "$branch" ]; then
        # Following another branch (another deck): switch to it as it is upstream.
        check "$target"
        git checkout --quiet -B "$branch" "$upstream"
    elif [ "$target" != "$before" ]; then
        if ! git merge-base --is-ancestor "$before" "$target"; then
            refuse "$remote/$branch is not a fast-forward of $(git rev-parse --short "$before") (history rewritten upstream?); kept it"
        fi
        check "$target"
        git merge --quiet --ff-only "$upstream" || refuse "cannot fast-forward to $remote/$branch"
    fi
    where="$remote/$branch"
fi

after=$(git rev-parse HEAD)
if [ "$after" = "$before" ]; then
    say "up to date with $where at $(git rev-parse --short HEAD)"
else
    say "updated to $where: $(git rev-parse --short "$before") -> $(git rev-parse --short "$after")"
fi
