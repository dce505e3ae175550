"""Load and fault test: simulated visitors read, search, vote and send applications; nothing may be lost.

    .venv/bin/python bench/load.py                       # 200 visitors, 60 s, 1 worker × 4 threads, SQLite
    .venv/bin/python bench/load.py --quick               # 50 visitors, 20 s
    .venv/bin/python bench/load.py --workers 2 --threads 4          # several workers: Redis is started too
    .venv/bin/python bench/load.py --postgres postgresql+psycopg://postgres@127.0.0.1:54329/postgres

The portal runs as in production: gunicorn with gunicorn.conf.py, PORTAL_ENV=production, a generated
secret, a throwaway database (SQLite in a temp folder, or a fresh database on the given PostgreSQL server,
dropped afterwards) and search index. More than one worker gets a throwaway redis-server for the rate
limits, as the app demands. Everything listens on 127.0.0.1 and the run stops itself.

Visitors (Locust, in this process) come as through nginx: each has its own made-up client address in
X-Forwarded-For (the app runs with PORTAL_PROXY_FIX_X_FOR=1) and X-Forwarded-Proto: https, so the
per-client rate limits stay at their production values and count each visitor apart; each application
comes from a new address (another person). Only the global limit of applications (500 an hour for the
whole site) is raised, since the test sends more than that on purpose. Each visitor waits 1–3 s between
actions: 60 % guide pages, 10 % home or section pages, 15 % searches (all different queries, so most are
real searches), 5 % «Была ли страница полезной?» votes and 10 % applications through the real form: GET
(CSRF token, session cookie, hidden fields), 3–6 s of "typing" (the form refuses faster posts as bots),
POST, then the confirmation page. A quarter of the applicants make a realistic mistake first (the consent box
left unticked): they get the form back (422), tick the box and press «Send» again within a second, with the
hidden fields the 422 page carries (the fill-time check must measure from the first render). One
application in ten is sent twice at once (a double tap). A POST that gets no answer is sent again, as a
person would. At the end every visitor finishes its action.

Fault: halfway through, one gunicorn worker is killed with SIGKILL (`--no-fault` to skip it); gunicorn
starts a new one while requests wait or fail and are retried.

Pass (exit code 0 only then): no 5xx response at all, no silent drop (an answer to a valid application that
is neither a numbered confirmation nor a 429 the person can see), and afterwards the database holds exactly
the applications that were acknowledged (303 to /zayavka/prinyata/<number>): none missing, none extra, no
number twice; votes stored equal the votes the server acknowledged (its access log); with --no-fault also
every search the server answered counted in the anonymous statistics once gunicorn has stopped (workers
write their pending counts on exit). Printed:
counts and p50/p95 per kind. Results go to bench/results/load-<time>.json.

`--wait 0 0.2` takes the reading time away: the same visitors then press as fast as the server answers,
a stress test well beyond real traffic.
"""
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# bench/http.py would shadow the standard library's http module: search this folder last.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH] + [str(BENCH)]

try:
    from gevent import monkey  # noqa: E402

    monkey.patch_all()  # what Locust does on import; first, before sockets and ssl are imported
    import gevent  # noqa: E402
    import locust  # noqa: E402, F401
except ImportError:
    sys.exit("Locust is not installed: .venv/bin/pip install -e '.[dev]' (or .venv/bin/pip install locust)")

import argparse  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402

import psutil  # noqa: E402  (installed with Locust)
import sqlalchemy  # noqa: E402
from common import (  # noqa: E402
    RESULTS,
    free_port,
    gunicorn_server,
    machine,
    prepare,
    production_env,
    redis_server,
)
from locust import HttpUser, between, events, task  # noqa: E402
from locust.env import Environment  # noqa: E402

SITE_HOST = "portal.test"  # what nginx would pass as Host; every request still goes to 127.0.0.1
HIDDEN_RE = re.compile(r'<input[^>]*name="(csrf_token|started|idempotency_key)"[^>]*value="([^"]*)"')
DONE_RE = re.compile(r"/zayavka/prinyata/([A-Za-z0-9-]+)$")
NAMES = ["Сергей", "Анна", "Иван Петрович", "Ольга", "Дмитрий", "Наталья", "Алексей", "Мария"]
HELP = ["benefit", "job", "training", "cv_interview"]
KINDS = ["guide", "home or section", "search", "vote", "application form", "application mistake",
         "application post", "application double tap", "confirmation"]


class Tally:
    """Everything the pass criteria need, filled from the visitors' greenlets."""

    def __init__(self):
        self.lock = threading.Lock()
        self.status = defaultdict(Counter)  # kind -> {status: n}
        self.errors = Counter()  # kind -> connection errors (no HTTP answer)
        self.acknowledged = Counter()  # reference -> acknowledgements (a double tap gives two)
        self.sent_keys = set()  # idempotency keys of applications sent
        self.votes_acknowledged = 0
        self.searches_answered = 0
        self.unexpected = []  # (kind, status, location) samples of odd answers
        self.silent_drops = 0  # valid applications answered with neither a number nor a visible refusal
        self.mistakes = 0  # applications first sent without the consent box, then fixed within a second
        self.fixed_acknowledged = 0  # of those, acknowledged with a number

    def status_seen(self, kind, code):
        with self.lock:
            self.status[kind][code] += 1


TALLY = Tally()


@events.request.add_listener
def _count(request_type, name, response_time, response_length, response=None, exception=None, **_kw):
    if exception is not None and (response is None or not getattr(response, "status_code", 0)):
        with TALLY.lock:
            TALLY.errors[name] += 1
        return
    TALLY.status_seen(name, response.status_code)


class Visitor(HttpUser):
    wait_time = between(1, 3)
    guides = []
    sections = []
    queries = []
    addresses = itertools.count(1)

    def on_start(self):
        self.proxy = self.headers_from(self.new_address())

    def new_address(self):
        n = next(self.addresses)
        return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"

    @staticmethod
    def headers_from(address):
        # What nginx adds: the client's address (overwritten, never appended) and the scheme.
        return {"X-Forwarded-For": address, "X-Forwarded-Proto": "https", "Host": SITE_HOST,
                "Accept-Encoding": "gzip, deflate, br, zstd"}

    def get(self, path, kind, **kwargs):
        return self.client.get(path, name=kind, headers=self.proxy, allow_redirects=False, **kwargs)

    @task(60)
    def read_guide(self):
        self.get(random.choice(self.guides), "guide")

    @task(10)
    def browse(self):
        self.get(random.choice(["/", *self.sections]), "home or section")

    @task(15)
    def search(self):
        response = self.get("/search", "search", params={"q": next(self.queries)})
        if response.status_code == 200:
            with TALLY.lock:
                TALLY.searches_answered += 1

    @task(5)
    def vote(self):
        page = random.choice(self.guides)
        headers = {**self.proxy, "Sec-Fetch-Site": "same-origin", "Origin": f"https://{SITE_HOST}"}
        response = self.client.post("/otzyv", name="vote", headers=headers, allow_redirects=False,
                                    data={"page": page, "answer": random.choice(["yes", "yes", "no"])})
        if response.status_code == 303:
            with TALLY.lock:
                TALLY.votes_acknowledged += 1

    @task(10)
    def apply(self):
        # Each application comes from another person (another address): the per-client limit of 5 an hour
        # would otherwise cap the test at 5 applications per simulated visitor.
        proxy = self.headers_from(self.new_address())
        form = self.client.get("/zayavka", name="application form", headers=proxy, allow_redirects=False)
        if form.status_code != 200:
            return
        fields = dict(HIDDEN_RE.findall(form.text))
        cookie = form.headers.get("Set-Cookie", "").split(";", 1)[0]  # __Host-session (Secure: set by hand)
        if not cookie or set(fields) != {"csrf_token", "started", "idempotency_key"}:
            TALLY.unexpected.append(("application form", form.status_code, "no token or cookie"))
            return
        gevent.sleep(random.uniform(3.2, 6))  # typing; faster posts are refused as bots
        data = {**fields, "applicant": random.choice(["self", "self", "relative"]),
                "name": random.choice(NAMES), "contact_method": "phone",
                "contact_value": f"8 9{random.randint(10, 99)} {random.randint(100, 999)}-"
                                 f"{random.randint(10, 99)}-{random.randint(10, 99)}",
                "convenient_time": "any", "help_needed": random.sample(HELP, random.randint(1, 3)),
                "district": "", "contact_from": "", "comment": "Нужна работа и помощь с документами.",
                "website": "", "consent": "y"}
        headers = {**proxy, "Cookie": cookie, "Referer": f"https://{SITE_HOST}/zayavka",
                   "Origin": f"https://{SITE_HOST}", "Content-Type": "application/x-www-form-urlencoded"}
        with TALLY.lock:
            TALLY.sent_keys.add(fields["idempotency_key"])
        mistake = random.random() < 0.25
        if mistake:
            wrong = {k: v for k, v in data.items() if k != "consent"}
            back = self.client.post("/zayavka", name="application mistake", data=wrong, headers=headers,
                                    allow_redirects=False, timeout=60)
            if back.status_code != 422:
                TALLY.unexpected.append(("application mistake", back.status_code, "expected the form back"))
                return
            data.update(dict(HIDDEN_RE.findall(back.text)))  # what the page now carries: the same start time
            gevent.sleep(random.uniform(0.2, 1.0))  # ticks the box, presses «Send» again at once
            with TALLY.lock:
                TALLY.mistakes += 1
        if random.random() < 0.1:
            taps = [gevent.spawn(self._post, data, headers, "application double tap") for _ in range(2)]
            gevent.joinall(taps)
            references = {t.value for t in taps}
        else:
            references = {self._post(data, headers, "application post")}
        references.discard(None)
        if mistake and references:
            with TALLY.lock:
                TALLY.fixed_acknowledged += 1
        if len(references) > 1:
            TALLY.unexpected.append(("application double tap", 303, f"{len(references)} different numbers"))
        for reference in references:
            self.client.get(f"/zayavka/prinyata/{reference}", name="confirmation", headers=proxy,
                            allow_redirects=False)

    def _post(self, data, headers, kind):
        """POST the form; on no answer at all, press the button again (same idempotency key)."""
        for _attempt in range(4):
            try:
                response = self.client.post("/zayavka", name=kind, data=data, headers=headers,
                                            allow_redirects=False, timeout=60)
            except Exception:  # counted by the request event; the person presses the button again
                gevent.sleep(1)
                continue
            if response.status_code == 0:  # connection refused or reset: no answer
                gevent.sleep(1)
                continue
            location = response.headers.get("Location", "")
            found = DONE_RE.search(location)
            if response.status_code == 303 and found:
                with TALLY.lock:
                    TALLY.acknowledged[found.group(1)] += 1
                return found.group(1)
            if response.status_code >= 500:
                gevent.sleep(1)
                continue  # the page asks the person to try again
            if response.status_code != 429:  # the form was valid: anything else drops the person's request
                with TALLY.lock:
                    TALLY.silent_drops += 1
                TALLY.unexpected.append((kind, response.status_code, location[:80]))
            return None
        return None


# ---------------------------------------------------------------- the run

def site_paths(base):
    request = urllib.request.Request(base + "/sitemap.xml")
    with urllib.request.urlopen(request, timeout=10) as response:
        xml = response.read().decode()
    paths = [re.sub(r"^https?://[^/]+", "", url) for url in re.findall(r"<loc>([^<]+)</loc>", xml)]
    guides = [p for p in paths if p.count("/") == 2 and not p.endswith("/")]
    sections = [p for p in paths if p.count("/") == 2 and p.endswith("/")]
    return guides, sections


def query_stream():
    """Different plausible queries in a fixed order: pairs of words from the guides' relevance set."""
    text = (BENCH.parent / "tests" / "search_queries.yaml").read_text(encoding="utf-8")
    base = [line.split('{q: "', 1)[1].split('"', 1)[0] for line in text.splitlines() if '{q: "' in line]
    words = sorted({w for q in base for w in q.split() if len(w) > 3 and w.isalpha()})
    pairs = [f"{a} {b}" for a, b in itertools.permutations(words, 2)]
    random.Random(20261127).shuffle(pairs)
    # Only queries the anonymous statistics may keep (no digit, @ or link-like «htp.vt»), so every answered
    # search must show up in the counts.
    return itertools.cycle([q for q in base + pairs if not re.search(r"[\d@.]|://", q)])


def kill_one_worker(master_pid, log):
    children = psutil.Process(master_pid).children()
    if not children:
        log("fault: no worker to kill")
        return None
    victim = children[0].pid
    os.kill(victim, signal.SIGKILL)
    log(f"fault: killed gunicorn worker {victim} with SIGKILL")
    return victim


def database_counts(url, sent_keys):
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sqlalchemy.text("SELECT reference, idempotency_key FROM application")).all()
            votes = connection.execute(sqlalchemy.text("SELECT count(*) FROM page_feedback")).scalar()
            searches = connection.execute(sqlalchemy.text("SELECT coalesce(sum(count), 0) FROM search_query_day"))\
                .scalar()
    finally:
        engine.dispose()
    references = Counter(r for r, _ in rows)
    keys = Counter(k for _, k in rows)
    return {"references": references, "keys": keys, "unknown_keys": set(keys) - sent_keys,
            "votes": votes, "searches": searches}


def postgres_database(base_url):
    name = f"portal_load_{secrets.token_hex(4)}"
    admin = sqlalchemy.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    url = sqlalchemy.engine.make_url(base_url).set(database=name)

    def drop():
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return url.render_as_string(hide_password=False), drop


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="50 visitors for 20 s")
    parser.add_argument("--users", type=int, default=None)
    parser.add_argument("--duration", type=int, default=None, help="seconds")
    # Defaults: gunicorn.conf.py's (PORTAL_WORKERS, PORTAL_THREADS, else 1 × 4).
    parser.add_argument("--workers", type=int, default=int(os.environ.get("PORTAL_WORKERS") or 1))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("PORTAL_THREADS") or 4))
    parser.add_argument("--postgres", default="", help="a PostgreSQL server URL; a fresh database is used")
    parser.add_argument("--no-fault", action="store_true", help="do not kill a worker halfway")
    parser.add_argument("--wait", type=float, nargs=2, default=[1.0, 3.0], metavar=("MIN", "MAX"),
                        help="seconds a visitor waits between actions (default 1 3)")
    args = parser.parse_args()
    users = args.users or (50 if args.quick else 200)
    duration = args.duration or (20 if args.quick else 60)
    if not 1 <= users <= 1000 or not 5 <= duration <= 600:
        sys.exit("--users must be 1–1000 and --duration 5–600 s: the load stays bounded")

    started = time.monotonic()
    host = machine()  # the load average before the run

    def log(message):
        print(f"[{time.monotonic() - started:6.1f} s] {message}", flush=True)

    workdir = Path(tempfile.mkdtemp(prefix="portal-load-"))
    servers, cleanups = [], []
    try:
        port = free_port()
        extra = {"PORTAL_WORKERS": args.workers, "PORTAL_THREADS": args.threads, "PORTAL_PROXY_FIX_X_FOR": 1,
                 "PORTAL_APPLY_GLOBAL_RATE_LIMIT": "100000 per hour"}
        if args.workers > 1:
            redis = redis_server(workdir / "redis")
            servers.append(redis.start())
            extra["PORTAL_RATELIMIT_STORAGE_URI"] = redis.storage_uri
        if args.postgres:
            url, drop = postgres_database(args.postgres)
            cleanups.append(drop)
            extra["PORTAL_DATABASE_URL"] = url
        env = production_env(workdir, port, **extra)
        env["PORTAL_SITE_URL"] = f"https://{SITE_HOST}"
        database_url = env["PORTAL_DATABASE_URL"]
        database = "PostgreSQL" if args.postgres else "SQLite (WAL, synchronous=FULL)"
        log(f"preparing {database} and the search index in {workdir}")
        prepare(env)
        server = gunicorn_server("portal", env, port, workdir / "gunicorn.log")
        servers.append(server.start())
        log(f"portal on {server.url}: {args.workers} worker(s) × {args.threads} threads, {database}"
            + (", Redis rate limits" if args.workers > 1 else ", in-memory rate limits"))

        Visitor.guides, Visitor.sections = site_paths(server.url)
        Visitor.queries = query_stream()
        Visitor.host = server.url
        Visitor.wait_time = between(*args.wait)
        # At the end every visitor finishes what it is doing (an answer in flight is still counted), so the
        # tallies and the database describe the same requests.
        environment = Environment(user_classes=[Visitor], events=events, stop_timeout=30)
        runner = environment.create_local_runner()
        spawn_rate = max(1, users / 5)
        log(f"{users} visitors for {duration} s (spawned over {users / spawn_rate:.0f} s)")
        runner.start(users, spawn_rate=spawn_rate)
        fault = {}
        if not args.no_fault:
            def fault_now():
                fault["killed_worker"] = kill_one_worker(server.process.pid, log)
                fault["at_s"] = round(time.monotonic() - started, 1)
            gevent.spawn_later(duration / 2, fault_now)

        def progress():
            while True:
                gevent.sleep(10)
                total = environment.stats.total
                log(f"{total.num_requests} requests, {total.num_failures} failures, "
                    f"{len(TALLY.acknowledged)} applications acknowledged")
        ticker = gevent.spawn(progress)
        gevent.spawn_later(duration, runner.quit)
        runner.greenlet.join()
        ticker.kill()
        log("visitors stopped; stopping gunicorn gracefully (workers write their pending counts)")
        server.stop()
        counts = database_counts(database_url, TALLY.sent_keys)
        # What the server itself answered, from its access log (path and status only).
        access = Counter(re.findall(r'"(\w+ /[^"]*)" (\d{3}) ', server.log_path.read_text(errors="replace")))
        served = {"votes": access[("POST /otzyv", "303")], "searches": access[("GET /search", "200")],
                  "applications": access[("POST /zayavka", "303")]}
    finally:
        for server in reversed(servers):
            server.stop()
        for cleanup in cleanups:
            cleanup()

    stats = environment.stats
    per_kind = {}
    for kind in KINDS:
        entry = stats.entries.get((kind, "GET")) or stats.entries.get((kind, "POST"))
        if entry is None or entry.num_requests == 0:
            continue
        per_kind[kind] = {"requests": entry.num_requests, "p50_ms": entry.get_response_time_percentile(0.5),
                          "p95_ms": entry.get_response_time_percentile(0.95),
                          "max_ms": round(entry.max_response_time),
                          "status": dict(sorted(TALLY.status[kind].items())),
                          "no_answer": TALLY.errors[kind]}
    five_xx = {kind: sum(n for code, n in codes.items() if code >= 500) for kind, codes in TALLY.status.items()}
    acknowledged = set(TALLY.acknowledged)
    stored = set(counts["references"])
    checks = {
        "no 5xx": sum(five_xx.values()) == 0,
        "no silent drop": TALLY.silent_drops == 0,
        "every application fixed after a mistake is acknowledged": TALLY.fixed_acknowledged == TALLY.mistakes,
        "every acknowledged application is stored": not (acknowledged - stored),
        "no stored application that was not acknowledged": not (stored - acknowledged),
        "no application stored twice": all(n == 1 for n in counts["keys"].values())
                                       and all(n == 1 for n in counts["references"].values()),
        "votes stored = votes the server acknowledged": counts["votes"] == served["votes"],
    }
    if args.no_fault:  # a killed worker loses its pending counts; a graceful stop writes them
        checks["every search the server answered is counted"] = counts["searches"] == served["searches"]
    passed = all(checks.values())

    print(f"\n{users} visitors waiting {args.wait[0]:g}–{args.wait[1]:g} s, {duration} s, "
          f"gunicorn {args.workers} worker(s) × {args.threads} threads, "
          f"{database}{'' if args.no_fault else ', one worker killed halfway'}")
    print(f"  {'kind':24} {'requests':>8} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}  statuses")
    for kind, row in per_kind.items():
        extra = f", no answer {row['no_answer']}" if row["no_answer"] else ""
        print(f"  {kind:24} {row['requests']:8d} {row['p50_ms']:7.0f} {row['p95_ms']:7.0f} {row['max_ms']:7d}  "
              f"{row['status']}{extra}")
    total = stats.total
    print(f"  total: {total.num_requests} requests, {total.total_rps:.0f} req/s on average")
    print(f"Applications: {len(TALLY.sent_keys)} sent, {len(acknowledged)} acknowledged "
          f"({sum(TALLY.acknowledged.values())} acknowledgements with double taps and retries), "
          f"{len(stored)} stored")
    print(f"Mistakes fixed and resent within a second: {TALLY.mistakes}, acknowledged {TALLY.fixed_acknowledged}; "
          f"silent drops: {TALLY.silent_drops}")
    print(f"Votes: {TALLY.votes_acknowledged} acknowledged to visitors, {served['votes']} by the server, "
          f"{counts['votes']} stored. Searches: {TALLY.searches_answered} answered to visitors, "
          f"{served['searches']} by the server, {counts['searches']} counted in the statistics "
          f"(a killed worker loses its last ≤ 10 s of counts)")
    if TALLY.unexpected:
        print(f"Unexpected answers (first 10 of {len(TALLY.unexpected)}): {TALLY.unexpected[:10]}")
    for name, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    print("PASSED" if passed else "FAILED")

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "machine": host,
        "settings": {"users": users, "duration_s": duration, "workers": args.workers, "threads": args.threads,
                     "database": database, "fault": fault or None, "wait_s": args.wait},
        "per_kind": per_kind, "total_requests": total.num_requests, "average_rps": total.total_rps,
        "applications": {"sent": len(TALLY.sent_keys), "acknowledged": len(acknowledged), "stored": len(stored),
                         "missing": sorted(acknowledged - stored), "extra": sorted(stored - acknowledged)},
        "votes": {"acknowledged": TALLY.votes_acknowledged, "served": served["votes"], "stored": counts["votes"]},
        "searches": {"answered": TALLY.searches_answered, "served": served["searches"],
                     "counted": counts["searches"]},
        "served_applications": served["applications"],
        "mistakes": {"sent": TALLY.mistakes, "acknowledged": TALLY.fixed_acknowledged},
        "silent_drops": TALLY.silent_drops,
        "five_xx": five_xx, "unexpected": TALLY.unexpected[:50], "checks": checks, "passed": passed,
    }, ensure_ascii=False, indent=2, default=str))
    print(f"Results: {out.relative_to(BENCH.parent)}")
    if passed:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"Kept for a look: {workdir} (gunicorn.log, the database)")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
