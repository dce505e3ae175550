"""Search benchmark: index build time and query latency, Whoosh (the portal's pipeline) against SQLite FTS5.

Corpora: the real guides, then generated Russian corpora of 1,000 and 10,000 documents made from windows of
the guides' own text (fixed seed), so word frequencies and phrases look like the real thing. Query kinds:
single words, several words, quoted phrases, one-edit typos (fuzzy) and words typed in the Latin layout.

Whoosh is measured through `portal.search.query.search_page`: everything a visitor's search costs
(synonyms, typo handling, layout repair, "did you mean", top 10 with snippets), uncached. FTS5 gets the
same queries on a PyStemmer-stemmed, ё-folded, stop-filtered column with bm25 ranking and top 10 titles;
its "fuzzy" is emulated with one-edit variants of the stem found in the vocabulary, its layout repair by
the same translation table. Ratios are Whoosh ÷ FTS5 (above 1: Whoosh is slower).

    .venv/bin/python bench/search.py            # real guides, 1,000 and 10,000 documents (a few minutes)
    .venv/bin/python bench/search.py --quick    # real guides and 1,000 documents, fewer repetitions
"""
import argparse
import platform
import random
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# bench/http.py would shadow the standard library's `http` (imported by werkzeug): drop this folder.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import Stemmer  # noqa: E402

from portal.guides.content import load_library  # noqa: E402
from portal.search import analysis, synonyms  # noqa: E402
from portal.search import index as search_index  # noqa: E402
from portal.search import query as search_query  # noqa: E402

SEED = 20261126
KINDS = ("single", "multi", "phrase", "fuzzy", "layout")
CYR_TO_LAT = str.maketrans(analysis._CYR, analysis._LAT)
WORD_RE = re.compile(r"[а-яё]+", re.I)
_stemmer = Stemmer.Stemmer("russian")


# ---------------------------------------------------------------- corpora and queries

def guide_corpus():
    library = load_library(ROOT / "portal" / "content")
    return list(search_index.guide_documents(library))


def _lines(documents):
    lines = []
    for d in documents:
        lines += [line.split() for line in d["body"].split("\n") if len(line.split()) >= 4]
    return lines


def generated_corpus(documents, size, rng):
    """`size` documents stitched from 3–12 word windows of the real guides' lines."""
    lines = _lines(documents)

    def window(low, high):
        line = rng.choice(lines)
        n = min(len(line), rng.randint(low, high))
        start = rng.randint(0, len(line) - n)
        return " ".join(line[start:start + n])

    out = []
    for i in range(size):
        title = window(3, 8).capitalize()
        keywords = "\n".join(window(2, 3) for _ in range(6))
        summary = window(8, 15)
        blocks = [summary]
        for _ in range(rng.randint(12, 20)):
            if rng.random() < 0.25:
                blocks.append(window(2, 5).capitalize())  # a heading
            blocks.append(" ".join(window(3, 12) for _ in range(rng.randint(2, 5))) + ".")
        body = "\n".join(blocks)
        out.append({"key": f"gen/{i}", "section": "gen", "title": title, "keywords": keywords,
                    "summary": summary, "body": body, "plain": "\n".join((title, keywords, body))})
    return out


def _typo(word, rng):
    i = rng.randint(1, len(word) - 2)
    kind = rng.choice(("sub", "del", "ins", "swap"))
    letters = "абвгдежзийклмнопрстуфхцчшщыьэюя"
    if kind == "sub":
        return word[:i] + rng.choice(letters.replace(word[i], "")) + word[i + 1:]
    if kind == "del":
        return word[:i] + word[i + 1:]
    if kind == "ins":
        return word[:i] + rng.choice(letters) + word[i:]
    if word[i] == word[i + 1]:
        return word[:i] + word[i + 1:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def query_sets(documents, rng, n):
    """Deterministic query sets from the corpus's own words and phrases."""
    words = [w.lower() for d in documents for w in WORD_RE.findall(d["body"])]
    content = [w for w in words if w not in analysis.RU_STOP and len(w) > 3]
    long_words = [w for w in content if len(w) >= 6]
    lines = [[w.lower() for w in line if WORD_RE.fullmatch(w)] for line in _lines(documents)]
    pairs = [(a, b) for line in lines for a, b in zip(line, line[1:], strict=False)
             if a not in analysis.RU_STOP and b not in analysis.RU_STOP and len(a) > 3 and len(b) > 3]
    return {
        "single": [rng.choice(content) for _ in range(n)],
        "multi": [" ".join(rng.choice(content) for _ in range(rng.randint(2, 3))) for _ in range(n)],
        "phrase": [f'"{a} {b}"' for a, b in (rng.choice(pairs) for _ in range(n))],
        "fuzzy": [_typo(rng.choice(long_words), rng) for _ in range(n)],
        "layout": [" ".join(rng.choice(content) for _ in range(rng.randint(1, 2))).translate(CYR_TO_LAT)
                   for _ in range(n)],
    }


# ---------------------------------------------------------------- Whoosh (the portal's pipeline)

class WhooshEngine:
    name = "Whoosh"

    def __init__(self, folder):
        self.folder = folder
        self.synonyms = synonyms.load_synonyms(ROOT / "portal" / "content" / "synonyms.yaml")

    def build(self, documents):
        started = time.perf_counter()
        search_index.build_index(self.folder, documents, "bench")
        self.build_seconds = time.perf_counter() - started
        started = time.perf_counter()
        self.holder = search_index.IndexHolder(self.folder, cache_size=0)
        self._context = self.holder.searcher()
        self.searcher, _version = self._context.__enter__()
        self.open_ms = (time.perf_counter() - started) * 1000
        self.size_mb = sum(p.stat().st_size for p in Path(self.folder).rglob("*") if p.is_file()) / 1e6

    def query(self, text, kind):
        outcome = search_query.search_page(self.searcher, text, self.synonyms, page=1, per_page=10)
        return [hit.key for hit in outcome.hits]

    def close(self):
        self._context.__exit__(None, None, None)
        self.holder.close()


class WhooshBare:
    """The same index and searcher without the portal's query understanding or snippets: the restricted
    parser, the time-limited top 10 and the stored titles. Shows what the engine itself costs."""

    name = "Whoosh bare"

    def __init__(self, full):
        self.full = full
        self.parser = search_query.make_parser(full.searcher.schema)

    def query(self, text, kind):
        from whoosh import query as wq
        searcher = self.full.searcher
        if kind == "layout":
            text = analysis.fix_layout(text) or text
        if kind == "fuzzy":
            word = analysis.plain_words(text)[0]
            q = wq.Or([wq.Term("plain", word), wq.FuzzyTerm("plain", word, maxdist=1, prefixlength=1)])
        else:
            q = self.parser.parse(text)
        results, _total, _partial = search_query._collect(searcher, q, 10, 0.5)
        return [hit["title"] for hit in results]


# ---------------------------------------------------------------- SQLite FTS5

def fts_terms(text):
    words = [w.lower().replace("ё", "е") for w in WORD_RE.findall(text)]
    return [_stemmer.stemWord(w) for w in words if w not in analysis.RU_STOP and len(w) > 1]


def _edits1(stem):
    letters = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
    out = set()
    for i in range(1, len(stem) + 1):
        left, right = stem[:i], stem[i:]
        if right:
            out.add(left + right[1:])
            out.update(left + c + right[1:] for c in letters)
        if len(right) > 1:
            out.add(left + right[1] + right[0] + right[2:])
        out.update(left + c + right for c in letters)
    return out


class FtsEngine:
    name = "FTS5"

    def __init__(self, path):
        self.path = path

    def build(self, documents):
        started = time.perf_counter()
        db = sqlite3.connect(self.path)
        db.execute("CREATE TABLE docs(id INTEGER PRIMARY KEY, key TEXT, title TEXT)")
        db.execute("CREATE VIRTUAL TABLE fts USING fts5(title, body, content='', tokenize='unicode61')")
        db.execute("CREATE VIRTUAL TABLE vocab USING fts5vocab(fts, 'row')")
        for i, d in enumerate(documents, 1):
            db.execute("INSERT INTO docs VALUES (?, ?, ?)", (i, d["key"], d["title"]))
            body = "\n".join((d.get("keywords", ""), d["body"]))
            db.execute("INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)",
                       (i, " ".join(fts_terms(d["title"])), " ".join(fts_terms(body))))
        db.commit()
        db.close()
        self.build_seconds = time.perf_counter() - started
        started = time.perf_counter()
        self.db = sqlite3.connect(self.path)
        self.vocabulary = {row[0] for row in self.db.execute("SELECT term FROM vocab")}
        self.open_ms = (time.perf_counter() - started) * 1000
        self.size_mb = Path(self.path).stat().st_size / 1e6

    def _run(self, match):
        if not match:
            return []
        rows = self.db.execute("SELECT docs.key, docs.title FROM fts JOIN docs ON docs.id = fts.rowid "
                               "WHERE fts MATCH ? ORDER BY bm25(fts, 2.0, 1.0) LIMIT 10", (match,)).fetchall()
        return [key for key, _title in rows]

    def query(self, text, kind):
        if kind == "layout":
            text = analysis.fix_layout(text) or text
        terms = fts_terms(text)
        if kind == "phrase":
            return self._run('"' + " ".join(terms) + '"' if terms else "")
        if kind == "fuzzy":
            stem = terms[0] if terms else ""
            variants = sorted(({stem} | _edits1(stem)) & self.vocabulary)
            return self._run(" OR ".join(f'"{v}"' for v in variants))
        return self._run(" OR ".join(f'"{t}"' for t in terms))

    def close(self):
        self.db.close()


# ---------------------------------------------------------------- measuring

def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(engine, queries, repeats, deadline):
    """{kind: (wall p50, wall p95, cpu p50, cpu p95)} in ms: each query once to warm up, then `repeats` runs.

    CPU time (this thread only) is shown next to wall-clock time because the 2-core machine is shared:
    when something else runs, wall-clock time grows and CPU time does not.
    """
    out = {}
    for kind in KINDS:
        for text in queries[kind]:
            engine.query(text, kind)
        wall, cpu = [], []
        for _ in range(repeats):
            for text in queries[kind]:
                started, started_cpu = time.perf_counter(), time.thread_time()
                engine.query(text, kind)
                cpu.append((time.thread_time() - started_cpu) * 1000)
                wall.append((time.perf_counter() - started) * 1000)
            if time.monotonic() > deadline:
                break
        out[kind] = (percentile(wall, 50), percentile(wall, 95), percentile(cpu, 50), percentile(cpu, 95))
    return out


def realistic(engine_w, path):
    """p50/p95 ms of the relevance set's real queries (tests/search_queries.yaml) through the pipeline."""
    import yaml
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    for case in cases:
        engine_w.query(case["q"], "multi")
    times = []
    cpu = []
    for _ in range(5):
        for case in cases:
            started, started_cpu = time.perf_counter(), time.thread_time()
            engine_w.query(case["q"], "multi")
            cpu.append((time.thread_time() - started_cpu) * 1000)
            times.append((time.perf_counter() - started) * 1000)
    return len(cases), percentile(times, 50), percentile(times, 95), percentile(cpu, 50), percentile(cpu, 95)


def run_corpus(label, documents, queries, repeats, deadline):
    with tempfile.TemporaryDirectory() as tmp:
        whoosh, fts = WhooshEngine(Path(tmp) / "whoosh"), FtsEngine(str(Path(tmp) / "fts.sqlite3"))
        whoosh.build(documents)
        fts.build(documents)
        bare = WhooshBare(whoosh)
        results = {e.name: measure(e, queries, repeats, deadline) for e in (whoosh, bare, fts)}
        extra = realistic(whoosh, ROOT / "tests" / "search_queries.yaml") if label == "real guides" else None
        row = {"label": label, "docs": len(documents), "results": results, "realistic": extra,
               "build": {e.name: e.build_seconds for e in (whoosh, fts)},
               "open": {e.name: e.open_ms for e in (whoosh, fts)},
               "size": {e.name: e.size_mb for e in (whoosh, fts)}}
        whoosh.close()
        fts.close()
    return row


def print_row(row):
    w, wb, f = row["results"]["Whoosh"], row["results"]["Whoosh bare"], row["results"]["FTS5"]
    print(f"\n## {row['label']}: {row['docs']:,} documents")
    print(f"build: Whoosh {row['build']['Whoosh']:.2f} s, FTS5 {row['build']['FTS5']:.2f} s "
          f"(ratio {row['build']['Whoosh'] / row['build']['FTS5']:.1f}×); "
          f"index size: Whoosh {row['size']['Whoosh']:.1f} MB, FTS5 {row['size']['FTS5']:.1f} MB; "
          f"open: Whoosh {row['open']['Whoosh']:.1f} ms, FTS5 {row['open']['FTS5']:.1f} ms")
    print("| query kind | Whoosh p50 / p95 ms | Whoosh CPU p50 / p95 ms | FTS5 p50 / p95 ms | "
          "FTS5 CPU p50 / p95 ms | ratio p50 / p95 | CPU ratio p50 / p95 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for kind in KINDS:
        (w50, w95, wc50, wc95), (f50, f95, fc50, fc95) = w[kind], f[kind]
        print(f"| {kind} | {w50:.2f} / {w95:.2f} | {wc50:.2f} / {wc95:.2f} | {f50:.2f} / {f95:.2f} | "
              f"{fc50:.2f} / {fc95:.2f} | {w50 / max(f50, 1e-3):.0f}× / {w95 / max(f95, 1e-3):.0f}× | "
              f"{wc50 / max(fc50, 1e-3):.0f}× / {wc95 / max(fc95, 1e-3):.0f}× |")
    if row["realistic"]:
        n, p50, p95, c50, c95 = row["realistic"]
        print(f"| realistic: the {n} queries of tests/search_queries.yaml | {p50:.2f} / {p95:.2f} | "
              f"{c50:.2f} / {c95:.2f} | – | – | – | – |")
    print("\nThe engine alone (parser + top 10, no synonyms, typo handling or snippets):")
    print("| query kind | Whoosh bare p50 / p95 ms | CPU p50 / p95 ms | ratio to FTS5 p50 / p95 |")
    print("|---|---:|---:|---:|")
    for kind in KINDS:
        (b50, b95, bc50, bc95), (f50, f95, _fc50, _fc95) = wb[kind], f[kind]
        print(f"| {kind} | {b50:.2f} / {b95:.2f} | {bc50:.2f} / {bc95:.2f} | "
              f"{b50 / max(f50, 1e-3):.0f}× / {b95 / max(f95, 1e-3):.0f}× |")
    sys.stdout.flush()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="real guides and 1,000 documents, fewer runs")
    parser.add_argument("--sizes", default=None, help="generated corpus sizes, e.g. 1000,10000")
    parser.add_argument("--budget", type=float, default=None, help="seconds; later corpora are skipped")
    args = parser.parse_args(argv)
    default_sizes = [1000] if args.quick else [1000, 10000]
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else default_sizes
    repeats, per_kind = (2, 20) if args.quick else (5, 40)
    budget = args.budget or (180 if args.quick else 1500)
    deadline = time.monotonic() + budget
    print(f"# Search benchmark {time.strftime('%Y-%m-%d %H:%M')}: Python {platform.python_version()}, "
          f"{platform.machine()}, {__import__('os').cpu_count()} CPUs; seed {SEED}; "
          f"{per_kind} queries per kind × {repeats} runs; budget {budget:.0f} s")
    guides = guide_corpus()
    rng = random.Random(SEED)
    queries = query_sets(guides, rng, per_kind)
    print_row(run_corpus("real guides", guides, queries, repeats, deadline))
    for size in sizes:
        if time.monotonic() > deadline:
            print(f"\n## {size:,} documents: skipped, the time budget is spent")
            continue
        corpus = generated_corpus(guides, size, random.Random(SEED + size))
        print_row(run_corpus(f"generated corpus (seed {SEED + size})", corpus, queries, repeats, deadline))
    return 0


if __name__ == "__main__":
    sys.exit(main())
