"""Throughput benchmark: the portal under gunicorn against a bare Flask "hello" app and nginx, with wrk.

    .venv/bin/python bench/http.py            # 3 rounds of 10 s per target, medians (about 5 minutes)
    .venv/bin/python bench/http.py --quick    # 1 round
    .venv/bin/python bench/http.py --workers 2 --threads 4 --rounds 5 --duration 10

One run starts, on 127.0.0.1 and free ports only:
- the portal: gunicorn with gunicorn.conf.py and production settings (PORTAL_ENV=production, a generated
  secret, test operator details), a throwaway SQLite database and search index built before the load;
- the reference: a bare Flask app returning "Hello, World!" (bench/hello_app.py) under the same gunicorn
  settings (same config file, workers and threads);
- nginx serving the guide's HTML as a static file (temp config and prefix, `daemon off`, pre-compressed
  .br/.gz next to it as in production).

wrk (`-t1 -c32 -d10s`) then loads, in each round and in this order: hello, the home page, a long guide,
the same guide without compression, a search (one query, repeated: the worker's result cache answers it),
searches rotating over 5,000 different queries (more than any cache holds, so each one is searched),
and nginx's copy of the guide, compressed and not. Requests ask for `Accept-Encoding: br, gzip` as phones
do, unless marked "identity". Reported: req/s, p50 and p99 latency (medians over the rounds) and the
ratios guide/hello, search/hello and guide/nginx, computed within each round and then the median taken.
Goals (issue 9): guide >= 0.8 x hello, search >= 0.5 x hello. Results go to bench/results/http-<time>.json.
Two cores are shared by the servers and wrk, so absolute figures vary between runs; the ratios within a
round are the comparable numbers.
"""
# `common` first: it keeps this file (http.py) from shadowing the standard library's http module.
from common import (  # noqa: I001
    HOST,
    RESULTS,
    ROOT,
    Server,
    free_port,
    gunicorn_server,
    machine,
    prepare,
    production_env,
    redis_server,
)

import argparse  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
import urllib.request  # noqa: E402
from pathlib import Path  # noqa: E402

GUIDE = "/sudimost/zakrytye-professii"
SEARCH = "/search?q=" + urllib.parse.quote("потерял паспорт")
BROWSER_ENCODING = "br, gzip"
# More different queries than any per-worker cache holds (page cache 512, search results 256), cycled in a
# fixed order: every search of the "varied" target is a real one.
VARIED_QUERIES = 5000
NGINX_MODULES = Path("/usr/lib/nginx/modules")
INSTALL_HINT = ("Install them with:\n  sudo apt-get install wrk nginx libnginx-mod-http-brotli-filter "
                "libnginx-mod-http-brotli-static\n(Installing Debian's nginx starts no service here; "
                "this script runs its own copy on a free loopback port.)")

WRK_SCRIPT = r"""
local paths = {}
local i = 0
function init(args)
  if args[1] then
    for line in io.lines(args[1]) do paths[#paths + 1] = line end
  end
end
if os.getenv("WRK_ROTATE") == "1" then
  function request()
    i = i % #paths + 1
    return wrk.format(nil, paths[i])
  end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "status_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"mean_us": %.1f, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
"""


def check_tools():
    missing = [tool for tool in ("wrk", "nginx") if shutil.which(tool) is None]
    if missing:
        sys.exit(f"{' and '.join(missing)} not found. {INSTALL_HINT}")
    modules = [NGINX_MODULES / "ngx_http_brotli_static_module.so"]
    if not all(m.exists() for m in modules):
        print(f"note: nginx's brotli module is missing, so nginx serves gzip instead of br. {INSTALL_HINT}",
              file=sys.stderr)
        return False
    return True


def search_queries(count=VARIED_QUERIES):
    """`count` different plausible queries: the relevance set's 86, then pairs of their words."""
    text = (ROOT / "tests" / "search_queries.yaml").read_text(encoding="utf-8")
    base = []
    for line in text.splitlines():
        if '{q: "' in line:
            base.append(line.split('{q: "', 1)[1].split('"', 1)[0])
    words = sorted({w for q in base for w in q.split() if len(w) > 3 and w.isalpha()})
    queries = list(dict.fromkeys(base))
    pairs = [f"{a} {b}" for a, b in itertools.permutations(words, 2)]
    random.Random(20261126).shuffle(pairs)  # fixed seed: every run searches the same queries
    seen = set(queries)
    for pair in pairs:
        if len(queries) >= count:
            break
        if pair not in seen:
            seen.add(pair)
            queries.append(pair)
    return queries


# ---------------------------------------------------------------- nginx

NGINX_CONF = """
daemon off;
worker_processes {workers};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
{modules}
events {{ worker_connections 1024; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    types {{ text/html html; }}
    default_type application/octet-stream;
    charset utf-8;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    server {{
        listen {host}:{port};
        root {prefix}/www;
        gzip_static on;
        {brotli}
        add_header Vary Accept-Encoding;
    }}
}}
"""


def nginx_server(prefix, port, html, workers, brotli):
    import gzip

    import brotli as brotli_lib  # a dependency of Flask-Compress

    prefix = Path(prefix)
    (prefix / "www").mkdir(parents=True)
    (prefix / "tmp").mkdir()
    page = prefix / "www" / "guide.html"
    page.write_bytes(html)
    page.with_suffix(".html.gz").write_bytes(gzip.compress(html, 9))
    page.with_suffix(".html.br").write_bytes(brotli_lib.compress(html, quality=11))
    for path in [prefix, *prefix.rglob("*")]:  # nginx's workers run as nobody when started as root
        path.chmod(0o755 if path.is_dir() else 0o644)
    module = NGINX_MODULES / "ngx_http_brotli_static_module.so"
    modules = f"load_module {module};" if brotli else ""
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(workers=workers, prefix=prefix, modules=modules, host=HOST, port=port,
                                      brotli="brotli_static on;" if brotli else ""))
    argv = ["nginx", "-p", str(prefix), "-c", str(conf)]
    return Server("nginx", argv, dict(os.environ), port, prefix / "nginx.out", ready_path="/guide.html",
                  cwd=prefix)


# ---------------------------------------------------------------- wrk

def run_wrk(url, script, duration, connections, encoding, paths_file=None, rotate=False):
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script)]
    if encoding:
        argv += ["-H", f"Accept-Encoding: {encoding}"]
    argv.append(url)
    if paths_file:
        argv += ["--", str(paths_file)]
    env = dict(os.environ, WRK_ROTATE="1" if rotate else "0")
    result = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 60, env=env)
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if result.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stdout[-1500:]} "
                           f"{result.stderr[-1500:]}")
    data = json.loads(line[len("WRKJSON "):])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["errors"] = sum(data[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors",
                                            "timeouts"))
    return data


def fetch(url, encoding):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding} if encoding else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
        return {"status": response.status, "bytes": len(body),
                "content_encoding": response.headers.get("Content-Encoding") or "identity"}


def median(values):
    return statistics.median(values) if values else None


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one round instead of three")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per target and round")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("PORTAL_WORKERS") or 1))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("PORTAL_THREADS") or 4))
    parser.add_argument("--label", default="", help="a note stored with the results (e.g. 'before')")
    parser.add_argument("--set", action="append", default=[], metavar="PORTAL_NAME=VALUE",
                        help="an extra setting for the portal, e.g. --set PORTAL_PAGE_CACHE_ENABLED=false")
    args = parser.parse_args()
    rounds = args.rounds or (1 if args.quick else 3)
    if not 1 <= args.duration <= 60 or not 1 <= args.connections <= 256:
        sys.exit("--duration must be 1–60 s and --connections 1–256: the load stays bounded")
    brotli = check_tools()
    host = machine()  # the load average before the run

    workdir = Path(tempfile.mkdtemp(prefix="portal-http-"))
    RESULTS.mkdir(parents=True, exist_ok=True)
    script = workdir / "wrk.lua"
    script.write_text(WRK_SCRIPT)
    queries = search_queries()
    paths_file = workdir / "search-paths.txt"
    paths_file.write_text("".join(f"/search?q={urllib.parse.quote(q)}\n" for q in queries))

    servers = []
    try:
        app_port, hello_port, nginx_port = free_port(), free_port(), free_port()
        extra = {"PORTAL_WORKERS": args.workers, "PORTAL_THREADS": args.threads}
        for item in args.set:
            name, _, value = item.partition("=")
            if not name.startswith("PORTAL_"):
                sys.exit(f"--set {item}: only PORTAL_* settings")
            extra[name] = value
        if args.workers > 1:
            redis = redis_server(workdir / "redis")
            servers.append(redis.start())
            extra["PORTAL_RATELIMIT_STORAGE_URI"] = redis.storage_uri
        env = production_env(workdir / "portal", app_port, **extra)
        (workdir / "portal").mkdir()
        print(f"Preparing the database and search index in {workdir} …", flush=True)
        prepare(env)
        portal = gunicorn_server("portal", env, app_port, workdir / "portal.log")
        servers.append(portal.start())
        # Imported from a copy: from bench/ itself, this file would shadow the standard library's http.
        (workdir / "hello").mkdir()
        shutil.copy(ROOT / "bench" / "hello_app.py", workdir / "hello" / "hello_app.py")
        hello = gunicorn_server("hello", dict(env), hello_port, workdir / "hello.log", app="hello_app:app",
                                extra_args=["--pythonpath", str(workdir / "hello")])
        servers.append(hello.start())
        with urllib.request.urlopen(portal.url + GUIDE, timeout=10) as response:
            guide_html = response.read()
        nginx_prefix = workdir / "nginx"
        workdir.chmod(0o755)  # nginx's workers run as nobody when started as root; the folder holds test data
        nginx = nginx_server(nginx_prefix, nginx_port, guide_html, args.workers, brotli)
        servers.append(nginx.start())

        targets = [
            # name, url, Accept-Encoding, rotate over search paths
            ("hello", hello.url + "/", BROWSER_ENCODING, False),
            ("home", portal.url + "/", BROWSER_ENCODING, False),
            ("guide", portal.url + GUIDE, BROWSER_ENCODING, False),
            ("guide_identity", portal.url + GUIDE, "", False),
            ("search", portal.url + SEARCH, BROWSER_ENCODING, False),
            ("search_varied", portal.url + "/search", BROWSER_ENCODING, True),
            ("nginx_guide", nginx.url + "/guide.html", BROWSER_ENCODING, False),
            ("nginx_guide_identity", nginx.url + "/guide.html", "", False),
        ]
        responses = {name: fetch(url if not rotate else portal.url + SEARCH, enc)
                     for name, url, enc, rotate in targets}
        for name, info in responses.items():
            if info["status"] != 200:
                sys.exit(f"{name} answered {info['status']}, not 200: nothing to measure")
        print(f"Servers up: portal {portal.url} ({args.workers} worker(s) × {args.threads} threads), "
              f"hello {hello.url}, nginx {nginx.url}", flush=True)
        print("Warming up …", flush=True)
        for _name, url, enc, rotate in targets:
            run_wrk(url, script, 2, args.connections, enc, paths_file if rotate else None, rotate)

        runs = {name: [] for name, *_ in targets}
        for number in range(1, rounds + 1):
            print(f"Round {number}/{rounds}:", flush=True)
            for name, url, enc, rotate in targets:
                data = run_wrk(url, script, args.duration, args.connections, enc,
                               paths_file if rotate else None, rotate)
                runs[name].append(data)
                print(f"  {name:22} {data['rps']:9.0f} req/s   p50 {data['p50_us'] / 1000:7.2f} ms   "
                      f"p99 {data['p99_us'] / 1000:7.2f} ms   errors {data['errors']}", flush=True)
    finally:
        for server in reversed(servers):
            server.stop()

    summary = {name: {"rps": median([r["rps"] for r in rs]),
                      "p50_ms": median([r["p50_us"] for r in rs]) / 1000,
                      "p99_ms": median([r["p99_us"] for r in rs]) / 1000,
                      "errors": sum(r["errors"] for r in rs),
                      "response": responses[name]} for name, rs in runs.items()}

    def ratio(a, b):
        return median([x["rps"] / y["rps"] for x, y in zip(runs[a], runs[b], strict=True)])

    ratios = {
        "guide/hello": ratio("guide", "hello"),
        "home/hello": ratio("home", "hello"),
        "search/hello": ratio("search", "hello"),
        "search_varied/hello": ratio("search_varied", "hello"),
        "guide/nginx": ratio("guide", "nginx_guide"),
        "guide_identity/nginx_identity": ratio("guide_identity", "nginx_guide_identity"),
    }
    goals = {"guide/hello >= 0.8": ratios["guide/hello"] >= 0.8,
             "search/hello >= 0.5": ratios["search/hello"] >= 0.5,
             "search_varied/hello >= 0.5": ratios["search_varied/hello"] >= 0.5}

    print(f"\nMedians of {rounds} round(s), wrk -t1 -c{args.connections} -d{args.duration}s, "
          f"gunicorn {args.workers} worker(s) × {args.threads} threads:")
    print(f"  {'target':22} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'bytes':>7} encoding")
    for name, s in summary.items():
        print(f"  {name:22} {s['rps']:9.0f} {s['p50_ms']:8.2f} {s['p99_ms']:8.2f} "
              f"{s['response']['bytes']:7d} {s['response']['content_encoding']}")
    print("Ratios (median of per-round ratios):")
    for name, value in ratios.items():
        print(f"  {name:32} {value:6.3f}")
    for goal, met in goals.items():
        print(f"  goal {goal}: {'met' if met else 'NOT met'}")

    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"http-{stamp}.json"
    out.write_text(json.dumps({
        "label": args.label, "date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "machine": host,
        "load_average_at_end": os.getloadavg(),
        "settings": {"rounds": rounds, "duration_s": args.duration, "connections": args.connections,
                     "wrk_threads": 1, "workers": args.workers, "threads": args.threads,
                     "accept_encoding": BROWSER_ENCODING, "guide": GUIDE, "search": SEARCH,
                     "search_varied_queries": len(queries), "nginx_brotli": brotli, "portal_settings": args.set},
        "summary": summary, "ratios": ratios, "goals": goals, "runs": runs,
    }, ensure_ascii=False, indent=2))
    print(f"Results: {out.relative_to(ROOT)}")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
