"""Dependencies run one way: shared modules never name an area; an area imports another only where listed.

Walks every `import` of `portal/` with `ast` (no import is executed). A shared module (portal/*.py) may not
import an area at all — the factory in portal/__init__.py is the one place that lists them. An area may import
another area only along an edge of ALLOWED, each with its reason; anything else is a new coupling to design.
"""
import ast

import pytest

from tests.helpers.app import ROOT

AREAS = {"guides", "search", "apply", "staff", "feedback", "conviction", "plan", "employers", "places", "vacancies"}
# (importer, imported): why. Everything an area needs from the guides is their library (get_library,
# ContentError); the search area owns the registries areas add their documents and tools to.
ALLOWED = {
    ("search", "guides"): "the index is built over the guides' library",
    ("conviction", "guides"): "the answer page links to the guides the rules name",
    ("plan", "guides"): "plan steps link to guides and are checked against the library",
    ("feedback", "guides"): "«was it useful» names the guide it is about",
    ("places", "guides"): "a guide names kinds of places; checked at start-up",
    ("conviction", "search"): "registers the check as a search tool",
    ("plan", "search"): "registers the questionnaires as search tools",
    ("employers", "search"): "registers its cards as a search source",
    ("places", "search"): "registers the places as a search source",
    ("vacancies", "search"): "registers vacancies and uses the same Russian analysis",
    ("staff", "apply"): "the desk works on the stored requests",
    ("staff", "feedback"): "the dashboard shows the widgets' figures",
    ("staff", "search"): "the dashboard's «not found» figures read the search counts",
    ("plan", "apply"): "the plan's last step opens the form with the help kinds ticked",
    ("plan", "places"): "a plan step names kinds of places, checked against the directory's kinds",
    ("employers", "staff"): "its staff pages are behind the staff sign-in",
    ("places", "staff"): "its staff pages are behind the staff sign-in",
    ("vacancies", "staff"): "its staff pages are behind the staff sign-in",
    ("vacancies", "apply"): "registers a vacancy as something a request can be about",
    ("employers", "apply"): "registers a card as something a request can be about",
    ("vacancies", "employers"): "a friendly employer's card links its open vacancies, found by its sign-up's ИНН",
}


def imports_of(path, package):
    """The dotted names `path` imports, with relative imports resolved against `package`."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names += [base] + [f"{base}.{alias.name}" for alias in node.names]
    return names


def layer_problems(root, top="portal"):
    """Every forbidden import under `root` (the folder of the `top` package) as «module → imported»."""
    problems, edges = [], set()
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] == "migrations":
            continue
        module = ".".join((top, *relative.with_suffix("").parts)).removesuffix(".__init__")
        own = relative.parts[0] if len(relative.parts) > 1 else None
        package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        for name in imports_of(path, package):
            parts = name.split(".")
            area = ".".join(parts[:2])
            if parts[0] != top or len(parts) < 2 or parts[1] not in AREAS or parts[1] == own:
                continue
            if own is None:
                if module != top:  # the factory lists the areas; no other shared module may
                    problems.append(f"{module} → {area}: a shared module imports an area")
            elif (own, parts[1]) not in ALLOWED:
                problems.append(f"{module} → {area}: {own} may not import {parts[1]} (tests/test_layers.py)")
            else:
                edges.add((own, parts[1]))
    return sorted(set(problems)), edges


def test_shared_modules_never_import_an_area_and_areas_only_along_listed_edges():
    problems, _edges = layer_problems(ROOT / "portal")
    assert problems == []


def test_every_listed_edge_is_still_used():
    # a stale edge would quietly allow a coupling nobody has
    _problems, edges = layer_problems(ROOT / "portal")
    assert set(ALLOWED) - edges == set()


def test_the_areas_import_graph_has_no_cycle():
    _problems, edges = layer_problems(ROOT / "portal")
    graph = {area: {b for a, b in edges if a == area} for area in AREAS}
    seen, on_path = set(), []

    def visit(area):
        if area in on_path:
            pytest.fail("import cycle: " + " → ".join(on_path[on_path.index(area):] + [area]))
        if area in seen:
            return
        on_path.append(area)
        for target in graph[area]:
            visit(target)
        on_path.pop()
        seen.add(area)
    for area in sorted(AREAS):
        visit(area)


def _tree(tmp_path, files):
    for name, text in files.items():
        path = tmp_path / "portal" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path / "portal"


def test_a_shared_module_importing_an_area_is_caught(tmp_path):
    root = _tree(tmp_path, {"__init__.py": "from portal import guides\n",
                            "templating.py": "from portal.guides import views\n",
                            "guides/__init__.py": "", "guides/views.py": ""})
    problems, _ = layer_problems(root)
    assert problems == ["portal.templating → portal.guides: a shared module imports an area"]


def test_an_area_importing_an_area_off_the_list_is_caught_also_through_a_relative_import(tmp_path):
    root = _tree(tmp_path, {"search/__init__.py": "", "search/index.py": "from ..employers import cards\n",
                            "employers/__init__.py": "", "employers/cards.py": "from portal.search import index\n",
                            "guides/content.py": "import portal.staff.auth\n"})
    problems, _ = layer_problems(root)
    assert problems == [
        "portal.guides.content → portal.staff: guides may not import staff (tests/test_layers.py)",
        "portal.search.index → portal.employers: search may not import employers (tests/test_layers.py)"]


# ---------------------------------------------------------------- the tests' own layout

def helper_import_problems(tests_root):
    """Every import of the test package that does not go to tests/helpers/: a test module or a conftest
    importing another one hides a fixture's origin and runs that module's tests twice."""
    problems = []
    for path in sorted(tests_root.rglob("*.py")):
        relative = path.relative_to(tests_root.parent)
        if relative.parts[1] == "helpers":
            continue
        for name in imports_of(path, ".".join(relative.with_suffix("").parts[:-1])):
            if name.startswith(f"{tests_root.name}.") and not name.startswith(f"{tests_root.name}.helpers"):
                problems.append(f"{relative.as_posix()} imports {name}")
    return sorted(set(problems))


def test_tests_import_shared_code_only_from_tests_helpers():
    assert helper_import_problems(ROOT / "tests") == []


def test_a_test_importing_another_test_or_a_conftest_is_caught(tmp_path):
    tests = tmp_path / "tests"
    for name, text in {"helpers/app.py": "from tests.staff.conftest import x\n",  # helpers may build on helpers
                       "staff/conftest.py": "X = 1\n",
                       "staff/test_a.py": "from tests.helpers.app import make_app\n",
                       "places/test_b.py": "from tests.staff.conftest import X\nimport tests.staff.test_a\n"}.items():
        (tests / name).parent.mkdir(parents=True, exist_ok=True)
        (tests / name).write_text(text)
    assert helper_import_problems(tests) == ["tests/places/test_b.py imports tests.staff.conftest",
                                            "tests/places/test_b.py imports tests.staff.conftest.X",
                                            "tests/places/test_b.py imports tests.staff.test_a"]
