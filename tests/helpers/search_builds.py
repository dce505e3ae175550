"""Each distinct search index is built once per test session and copied after that.

Almost every test builds an app, and every app builds its index at start-up (SEARCH_BUILD_ON_START) from
the same guides: writing the postings was half of an app's start. `rebuild` still goes through the build
lock, the pointer swap and the clean-up of old builds; only the Whoosh writing is memoised, keyed by the
schema version, the content hash and the documents themselves, so a test that changes a guide, a card
or a place gets a fresh build. Tests of `build_index` itself import the real function and are untouched; a
test that needs `rebuild` to take a real build's time asks for `real_index_builds`.
"""
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from portal.search import index as search_index


@pytest.fixture(scope="session", autouse=True)
def memoised_index_builds(tmp_path_factory):
    real_build = search_index.build_index
    store = tmp_path_factory.mktemp("index-builds")

    def build_index(base_dir, documents, content_hash="", keep=1):
        documents = list(documents)
        key = hashlib.sha256(json.dumps([search_index.SCHEMA_VERSION, content_hash, documents],
                                        sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()
        base, kept = Path(base_dir), store / key
        if not kept.exists():
            name = real_build(base, documents, content_hash, keep)
            shutil.copytree(base / name, kept)
            return name
        base.mkdir(parents=True, exist_ok=True)
        name = search_index.new_build_name()
        shutil.copytree(kept, base / name)
        os.utime(base / name)  # copytree keeps the kept build's times; old builds are pruned by time
        search_index._publish(base, name)
        search_index._remove_old_builds(base, keep=keep, current=name)
        return name

    build_index.real = real_build
    patch = pytest.MonkeyPatch()
    patch.setattr(search_index, "build_index", build_index)
    yield
    patch.undo()


@pytest.fixture
def real_index_builds(monkeypatch, memoised_index_builds):
    """`rebuild` writes every index for real in this test (e.g. to search while a build is running)."""
    monkeypatch.setattr(search_index, "build_index", search_index.build_index.real)
