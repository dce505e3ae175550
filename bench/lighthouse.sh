#!/usr/bin/env bash
# Lighthouse 12.2.3 (mobile preset: Moto G-class phone, simulated slow 4G) over the home page, a long guide
# and a search results page of the portal served as in production.
#
#   bash bench/lighthouse.sh            # installs Lighthouse into bench/lighthouse/ on first use (npm, local)
#
# The portal runs under gunicorn with production settings (bench/common.py serve: PORTAL_ENV=production,
# a generated secret, a throwaway database and search index, Flask-Compress on) on a free 127.0.0.1 port,
# and is stopped by its PID at the end. Chromium is Debian's (/usr/bin/chromium) with the flags from
# ../shared/testing-tools.md, so it makes no request to any other host. Reports: bench/results/lighthouse-
# <page>.json; the four category scores are printed per page. Exit code 1 when any score is below 100,
# except the search page's SEO, which `noindex` lowers on purpose.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LH_DIR="$ROOT/bench/lighthouse"
LH="$LH_DIR/node_modules/.bin/lighthouse"
RESULTS="$ROOT/bench/results"
PY="$ROOT/.venv/bin/python"
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
CHROME_FLAGS="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage"

command -v node >/dev/null || { echo "Node.js is needed: sudo apt-get install nodejs npm" >&2; exit 2; }
[ -x "$CHROME_PATH" ] || { echo "Chromium is needed: sudo apt-get install chromium" >&2; exit 2; }
if [ ! -x "$LH" ]; then
  echo "Installing lighthouse@12.2.3 into bench/lighthouse/ (13.x needs Node >= 22.19) …"
  mkdir -p "$LH_DIR"
  if [ -f "$LH_DIR/package-lock.json" ]; then
    npm ci --no-audit --no-fund --prefix "$LH_DIR" >/dev/null       # the versions in the lock file
  else
    npm i -E --no-audit --no-fund --prefix "$LH_DIR" lighthouse@12.2.3 >/dev/null
  fi
fi
mkdir -p "$RESULTS"

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
LOG=$(mktemp)
"$PY" "$ROOT/bench/common.py" serve --port "$PORT" >"$LOG" 2>&1 &
SERVER=$!
trap 'kill -TERM "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 1 240); do
  curl -fsS -o /dev/null "$BASE/" 2>/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.5
done
curl -fsS -o /dev/null "$BASE/" || { echo "the portal did not start:" >&2; cat "$LOG" >&2; exit 1; }
echo "Portal: $(head -1 "$LOG")"

# name|path — a long guide (the longest list of professions) and a search with several results.
PAGES=("home|/" "guide|/sudimost/zakrytye-professii" "search|/search?q=%D0%BF%D0%BE%D1%81%D0%BE%D0%B1%D0%B8%D0%B5")
for entry in "${PAGES[@]}"; do
  name=${entry%%|*}
  path=${entry#*|}
  curl -fsS -o /dev/null "$BASE$path"  # fills the page cache, as any earlier visitor would
  # Headless Chromium now and then fails to record the trace (NO_NAVSTART): try up to three times.
  for attempt in 1 2 3; do
    if "$LH" "$BASE$path" --form-factor=mobile \
        --only-categories=performance,accessibility,best-practices,seo \
        --chrome-flags="$CHROME_FLAGS" \
        --output=json --output-path="$RESULTS/lighthouse-$name.json" --quiet; then
      break
    fi
    [ "$attempt" -lt 3 ] || { echo "Lighthouse failed three times on $path" >&2; exit 1; }
    echo "Lighthouse run $attempt on $path failed; again …" >&2
  done
done

"$PY" - "$RESULTS" <<'EOF'
import json
import sys
from pathlib import Path

results = Path(sys.argv[1])
categories = ["performance", "accessibility", "best-practices", "seo"]
# Deliberate: search result pages say `noindex` (robots.txt disallows /search too): a results page must not
# end up in search engines, whatever Lighthouse's SEO score makes of it.
EXPECTED = {("search", "seo"): {"is-crawlable"}}
below, expected = [], []
print(f"{'page':8} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5} {'bytes':>7} {'FCP ms':>7} {'LCP ms':>7} {'TBT ms':>7}  CLS")
for name in ("home", "guide", "search"):
    report = json.loads((results / f"lighthouse-{name}.json").read_text())
    scores = [round((report["categories"][c]["score"] or 0) * 100) for c in categories]
    audits = report["audits"]
    for c, s in zip(categories, scores):
        if s < 100:
            failing = [a["id"] for a in report["categories"][c]["auditRefs"]
                       if a["weight"] and audits[a["id"]]["score"] is not None and audits[a["id"]]["score"] < 1]
            note = f"{name} {c} {s} ({', '.join(failing) or 'no weighted audit below 1'})"
            (expected if failing and set(failing) <= EXPECTED.get((name, c), set()) else below).append(note)
    print(f"{name:8} {scores[0]:5d} {scores[1]:5d} {scores[2]:5d} {scores[3]:5d} "
          f"{audits['total-byte-weight']['numericValue']:7.0f} "
          f"{audits['first-contentful-paint']['numericValue']:7.0f} "
          f"{audits['largest-contentful-paint']['numericValue']:7.0f} "
          f"{audits['total-blocking-time']['numericValue']:7.0f}  "
          f"{audits['cumulative-layout-shift']['numericValue']:.3f}")
print(f"Lighthouse {report['lighthouseVersion']}, {report['configSettings']['formFactor']}, "
      f"reports in {results.relative_to(results.parent.parent)}/lighthouse-*.json")
if expected:
    print("Below 100 on purpose: " + "; ".join(expected) + " — the results page is noindex")
if below:
    print("Below 100: " + "; ".join(below))
    sys.exit(1)
print("Every other score is 100." if expected else "All four categories at 100 on every page.")
EOF
