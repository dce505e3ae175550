"""Vacancy sync and search figures for docs/performance.md.

    .venv/bin/python bench/vacancies.py [--sizes 12500,100000] [--rounds N] [--postgres URL [--skip-sqlite]]

1. Sync: 12,500 generated records served by the fake API (tests/helpers/vacancies.py) over real HTTP on
   127.0.0.1, with the real 10,000-record depth cap, so the word shards are needed; time and peak memory.
2. Search p50/p95 of the seam (portal/vacancies/search.py) and of the whole page for text, text + filters
   and filters only, at each size (rows beyond 12,500 are copies with new ids), against bare FTS5 MATCH
   over the same lemma column in the same SQLite file, and the engine alone on the same work (the seam's
   word conditions for a count and 20 ids: what bare FTS5 does, with the Russian analysis).
"""
import argparse
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

# The repository first, in place of bench/ itself: bench/http.py would shadow the standard library's http.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from sqlalchemy import text  # noqa: E402

from portal.extensions import db  # noqa: E402
from portal.vacancies import search, store  # noqa: E402
from portal.vacancies.demo import JOBS, sample_records  # noqa: E402
from portal.vacancies.search import Query  # noqa: E402
from portal.vacancies.sync import ApiClient  # noqa: E402
from tests.helpers.app import make_app  # noqa: E402
from tests.helpers.vacancies import FakeApi  # noqa: E402

TEXT = ["сварщик", "грузчик", "свар", "вахта с проживанием", "повар", "cdfhobr", "грущик", "охранник"]
TEXT_FILTERS = [dict(text="сварщик", housing=True), dict(text="грузчик", salary_from=40000),
                dict(text="водитель", day_shift=True, sort="pay"), dict(text="повар", closed=("deti",))]
FILTERS = [dict(housing=True), dict(salary_from=50000, sort="pay"), dict(day_shift=True, part_time=True),
           dict(closed=("deti", "taksi", "ohrana"))]
FTS = ["сварщ*", "грузч*", "свар*", "вахт* AND прожив*", "повар*", "сварщ*", "грузч*", "охранн*"]


def percentiles(samples):
    samples = sorted(samples)
    return statistics.median(samples) * 1000, samples[int(len(samples) * 0.95) - 1] * 1000


def timed(fn, rounds):
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def bench_sync(app, count):
    records = sample_records(count, marker="")
    shards = sorted({title.split()[0].split("-")[0] for title, *_ in JOBS})
    with FakeApi(records) as api:
        tracemalloc.start()
        start = time.perf_counter()
        fetched = ApiClient(api.url, "7400000000000", timeout=30, workers=8).fetch_region(shards=shards)
        fetch_seconds = time.perf_counter() - start
        with app.app_context():
            added = store.apply(fetched, "api").added
        total_seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {"records": count, "requests": len(api.requests), "complete": fetched.complete, "added": added,
            "fetch_s": round(fetch_seconds, 1), "total_s": round(total_seconds, 1),
            "peak_python_mb": round(peak / 2**20),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def grow(app, size):
    """Copy the cards with new ids until the table holds `size` rows."""
    with app.app_context():
        columns = [c.name for c in db.metadata.tables["vacancy"].columns if c.name != "id"]
        have = db.session.execute(text("SELECT count(*) FROM vacancy")).scalar()
        copy = db.session.execute(text("SELECT count(*) FROM vacancy WHERE api_id LIKE '%~%'")).scalar() + 1
        while have < size:
            picked = ", ".join(f"api_id || '~{copy}'" if c == "api_id" else f"substr(fold_key, 1, 56) || '~{copy}'"
                               if c == "fold_key" else c for c in columns)
            db.session.execute(text(f"INSERT INTO vacancy ({', '.join(columns)}) SELECT {picked} FROM vacancy "
                                    f"WHERE api_id NOT LIKE '%~%' LIMIT {size - have}"))
            db.session.commit()
            have = db.session.execute(text("SELECT count(*) FROM vacancy")).scalar()
            copy += 1
        store.refresh_fts()
        db.session.commit()
        return have


def bench_search(app, rounds):
    results = {}
    client = app.test_client()
    with app.app_context():
        for name, queries in (("text", [dict(text=q) for q in TEXT]), ("text+filters", TEXT_FILTERS),
                              ("filters", FILTERS)):
            for q in queries:  # warm the caches (lemmas, vocabulary) as a running worker has them
                search.search(Query(**q))
            seam = timed(lambda qs=queries: [search.search(Query(**q)) for q in qs], rounds)
            results[name] = percentiles([s / len(queries) for s in seam])
    pages = []
    for q in TEXT:
        client.get(f"/vakansii?q={q}")
        pages += timed(lambda q=q: client.get(f"/vakansii?q={q}&housing=y"), max(rounds // 2, 5))
    results["page (text+housing)"] = percentiles(pages)
    return results


def bench_engine(app, rounds):
    """The engine alone on the bare FTS5 queries' own work: the seam's match (the Russian analysis, the FTS5 or
    LIKE query it builds and its count) and 20 ids, without typo repair, ranking or cards."""
    from sqlalchemy import select

    from portal.vacancies.models import Vacancy

    with app.app_context():
        def run():
            for q in TEXT:
                words, flags = search.query_words(q)
                where, _ = search.match(Query(text=q), words, flags)
                db.session.execute(select(Vacancy.id).where(where).order_by(Vacancy.id.desc()).limit(20)).all()
        run()
        samples = timed(run, rounds)
    return percentiles([s / len(TEXT) for s in samples])


def bench_fts5(db_path, rounds):
    connection = sqlite3.connect(db_path)
    connection.execute("DROP TABLE IF EXISTS bench_fts")
    connection.execute("CREATE VIRTUAL TABLE bench_fts USING fts5(search_text, content='vacancy', content_rowid='id')")
    connection.execute("INSERT INTO bench_fts(bench_fts) VALUES ('rebuild')")
    connection.commit()

    def run():
        for q in FTS:
            connection.execute("SELECT count(*) FROM bench_fts WHERE bench_fts MATCH ?", (q,)).fetchone()
            connection.execute("SELECT rowid FROM bench_fts WHERE bench_fts MATCH ? ORDER BY rowid DESC LIMIT 20",
                               (q,)).fetchall()
    run()
    samples = timed(run, rounds)
    connection.execute("DROP TABLE bench_fts")
    connection.close()
    return percentiles([s / len(FTS) for s in samples])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="12500,100000")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--postgres", default=None, help="also measure the search on this empty database")
    parser.add_argument("--skip-sqlite", action="store_true", help="with --postgres: measure PostgreSQL only")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-vacancies-"))
    targets = [] if args.skip_sqlite and args.postgres else [
        ("sqlite", folder / "bench.sqlite3", f"sqlite:///{folder / 'bench.sqlite3'}")]
    if args.postgres:
        targets.append(("postgresql", None, args.postgres))
    for engine, path, url in targets:
        app = make_app(folder / engine, migrated=True, DATABASE_URL=url)  # the indexes production has
        print(f"## {engine}")
        print("sync:", bench_sync(app, 12_500))
        for size in (int(s) for s in args.sizes.split(",")):
            rows = grow(app, size)
            print(f"{rows} rows, search ms (p50, p95):")
            for name, (p50, p95) in bench_search(app, args.rounds).items():
                print(f"  {name:<20} {p50:7.1f} {p95:7.1f}")
            engine = bench_engine(app, args.rounds)
            print(f"  {'engine (count + 20 ids)':<20} {engine[0]:7.2f} {engine[1]:7.2f}")
            if path:
                bare = bench_fts5(path, args.rounds)
                print(f"  {'bare FTS5 MATCH':<20} {bare[0]:7.2f} {bare[1]:7.2f}")
                print(f"  {'engine ÷ bare FTS5':<20} {engine[0] / bare[0]:6.1f}× {engine[1] / bare[1]:6.1f}×")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
