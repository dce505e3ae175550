#!/usr/bin/env bash
# Online backup of the portal's SQLite database, safe while the site is running (docs/deploy.md).
#
#   scripts/backup-sqlite.sh [DATABASE_FILE] [BACKUP_DIR]
#
# DATABASE_FILE: default from PORTAL_DATABASE_URL (sqlite:////path/portal.sqlite3), else instance/portal.sqlite3.
# BACKUP_DIR:    default $PORTAL_BACKUP_DIR, else /var/backups/portal.
# PORTAL_BACKUP_KEEP_DAYS (default 7): older backups are deleted. Backups hold personal data, so they must not
# outlive the retention period by more than this lag (security item 47).
#
# Uses SQLite's online backup API (`sqlite3 … ".backup"`; Python's sqlite3.Connection.backup when the sqlite3
# tool is missing), never `cp`: a copy of a live WAL database can miss committed transactions or be torn.
# The copy is checked with `PRAGMA integrity_check`, compressed, and appears under its final name only when
# complete. Exit code 0 only when a good backup was written. Files are readable by their owner only.
set -euo pipefail
umask 077

ROOT=$(cd "$(dirname "$0")/.." && pwd)
url=${PORTAL_DATABASE_URL:-}
if [ $# -ge 1 ]; then
  db=$1
elif [[ $url == sqlite:///* ]]; then
  db=${url#sqlite:///}
elif [ -z "$url" ]; then
  db="$ROOT/instance/portal.sqlite3"
else
  echo "PORTAL_DATABASE_URL is not SQLite: back PostgreSQL up with pg_dump (docs/deploy.md)" >&2
  exit 2
fi
dir=${2:-${PORTAL_BACKUP_DIR:-/var/backups/portal}}
keep=${PORTAL_BACKUP_KEEP_DAYS:-7}
[ -f "$db" ] || { echo "no database at $db" >&2; exit 2; }
mkdir -p "$dir"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
final="$dir/portal-$stamp.sqlite3.gz"
tmp=$(mktemp "$dir/.portal-$stamp.XXXXXX")
trap 'rm -f "$tmp" "$tmp.gz"' EXIT
trap 'echo "backup FAILED (line $LINENO): no new backup was written" >&2' ERR

if command -v sqlite3 >/dev/null; then
  # .timeout: wait for a writer instead of failing; the backup itself never blocks the site's writers long.
  sqlite3 "$db" ".timeout 10000" ".backup '$tmp'"
else
  python3 - "$db" "$tmp" <<'EOF'
import sqlite3
import sys
source = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=10)
target = sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
target.close()
source.close()
EOF
fi

check=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$tmp")
if [ "$check" != "ok" ]; then
  echo "backup failed the integrity check: $check" >&2
  exit 1
fi
rows=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM application").fetchone()[0])' "$tmp" 2>/dev/null || echo "?")
gzip -9 "$tmp"
mv "$tmp.gz" "$final"
find "$dir" -maxdepth 1 -name 'portal-*.sqlite3.gz' -mtime +"$keep" -delete
echo "backup: $final ($(du -h "$final" | cut -f1), $rows applications, integrity ok; kept ${keep} days)"
