#!/usr/bin/env python3
"""Write `name.gz` and `name.br` next to every text file in portal/static, for nginx's gzip_static and
brotli_static (docs/deploy.md). Needs no Flask: the standard library, plus the `brotli` module when it is
installed (it comes with Flask-Compress); without it only .gz files are written.

    python3 scripts/precompress-static.py [STATIC_DIR]      # `make static` runs it; safe to run again

A compressed copy is written only when it is smaller than the file, and is rewritten whenever the file is
newer. Copies whose source file is gone are removed. Maximum levels: it runs once per deployment.
"""
import gzip
import os
import sys
from pathlib import Path

try:
    import brotli
except ImportError:  # nginx then serves .gz to browsers that ask for br too
    brotli = None

TEXT = {".css", ".js", ".svg", ".txt", ".xml", ".json", ".html", ".map", ".ico"}


def compressors():
    yield ".gz", lambda data: gzip.compress(data, compresslevel=9, mtime=0)
    if brotli is not None:
        yield ".br", lambda data: brotli.compress(data, quality=11)


def precompress(static_dir):
    written = removed = 0
    for path in sorted(static_dir.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix in (".gz", ".br"):
            if not path.with_suffix("").exists():
                path.unlink()
                removed += 1
            continue
        if path.suffix.lower() not in TEXT:
            continue
        data = path.read_bytes()
        for suffix, compress in compressors():
            target = path.with_name(path.name + suffix)
            if target.exists() and target.stat().st_mtime >= path.stat().st_mtime:
                continue
            packed = compress(data)
            if len(packed) >= len(data):
                target.unlink(missing_ok=True)
                continue
            tmp = target.with_name(target.name + ".tmp")
            tmp.write_bytes(packed)
            os.replace(tmp, target)
            stat = path.stat()
            os.utime(target, (stat.st_atime, stat.st_mtime))
            written += 1
    return written, removed


def main():
    root = Path(__file__).resolve().parent.parent
    static_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "portal" / "static"
    if not static_dir.is_dir():
        sys.exit(f"{static_dir} is not a folder")
    written, removed = precompress(static_dir)
    kinds = ".gz and .br" if brotli is not None else ".gz (no brotli module: no .br)"
    print(f"{static_dir}: {written} compressed copies written ({kinds}), {removed} stale ones removed")


if __name__ == "__main__":
    main()
