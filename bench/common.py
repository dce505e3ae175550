"""Shared by bench/http.py, bench/load.py and bench/lighthouse.sh: a production-like portal on loopback.

`production_env()` gives the settings of a real deployment (PORTAL_ENV=production, a generated secret,
test operator details) with a throwaway SQLite database and search index in a temp folder;
`prepare()` creates the tables and builds the index before any load; `Server` starts gunicorn with the
project's gunicorn.conf.py on 127.0.0.1 and a free port, and stops it by its PID.

    .venv/bin/python bench/common.py serve --port 8123   # used by bench/lighthouse.sh
"""
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# bench/http.py would shadow the standard library's `http` module (urllib, werkzeug and requests import it)
# for every script run from this folder: search the folder last. Scripts import this module first.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH] + [str(BENCH)]

import argparse  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402

ROOT = BENCH.parent
BIN = ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python") if (BIN / "python").exists() else sys.executable
GUNICORN = str(BIN / "gunicorn")
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"  # every server and every load generator stays on loopback


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def production_env(workdir, port, **overrides):
    """Environment of a production deployment, with its data in `workdir`."""
    workdir = Path(workdir)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update({
        "PORTAL_ENV": "production",
        "PORTAL_SECRET_KEY": secrets.token_hex(32),
        "PORTAL_OPERATOR_NAME": "ОКУ ЦЗН г. Челябинска (тест)",
        "PORTAL_OPERATOR_ADDRESS": "г. Челябинск (тестовый адрес)",
        "PORTAL_OPERATOR_EMAIL": "test@example.org",
        "PORTAL_OPERATOR_PHONE": "+7 000 000-00-00",
        "PORTAL_CENTRE_PHONE": "+7 000 000-00-00",
        "PORTAL_CENTRE_ADDRESS": "г. Челябинск (тестовый адрес)",
        "PORTAL_SITE_URL": f"http://{HOST}:{port}",
        # bench/load.py sends Host: portal.test, as nginx would pass the public name
        "PORTAL_TRUSTED_HOSTS": '["portal.test", "127.0.0.1", "localhost"]',
        "PORTAL_DATABASE_URL": f"sqlite:///{workdir / 'portal.sqlite3'}",
        "PORTAL_SEARCH_INDEX_DIR": str(workdir / "search_index"),
        "PORTAL_WORKERS": "1",
        "PORTAL_THREADS": "4",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    env.update({k: str(v) for k, v in overrides.items()})
    return env


PREPARE = """
from portal import create_app
from portal.extensions import db
from portal.search import index as search_index
app = create_app()
with app.app_context():
    db.create_all()
    search_index.rebuild(app, force=False)
print("prepared", app.config["SQLALCHEMY_DATABASE_URI"].split("://")[0])
"""


def prepare(env):
    """Create the tables and build the search index before the server starts, as a deployment does."""
    result = subprocess.run([PYTHON, "-c", PREPARE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    if result.returncode != 0:
        sys.exit("Could not prepare the database and search index:\n" + result.stderr[-3000:])


class Server:
    """A server process started by us and stopped by its PID; its output goes to a log file, never a pipe
    that nobody reads (a full pipe stalls the server)."""

    def __init__(self, name, argv, env, port, log_path, ready_path="/", cwd=ROOT):
        self.name, self.argv, self.env, self.port = name, argv, env, port
        self.log_path, self.ready_path, self.cwd = Path(log_path), ready_path, cwd
        self.process = None

    def ready(self):
        try:
            with urllib.request.urlopen(self.url + self.ready_path, timeout=5) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    @property
    def url(self):
        return f"http://{HOST}:{self.port}"

    def start(self, timeout=120):
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(self.argv, cwd=self.cwd, env=self.env, stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log.close()
                tail = self.log_path.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{tail}")
            if self.ready():
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer on {self.url}{self.ready_path} within {timeout} s")

    def stop(self, timeout=30):
        if self.process is None or self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGTERM)  # gunicorn: graceful stop of the master and its workers
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self._log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def gunicorn_server(name, env, port, log_path, app="wsgi:app", extra_args=(), ready_path="/"):
    argv = [GUNICORN, "-c", str(ROOT / "gunicorn.conf.py"), "-b", f"{HOST}:{port}", *extra_args, app]
    return Server(name, argv, env, port, log_path, ready_path=ready_path)


class RedisServer(Server):
    """redis-server on loopback for the rate-limit storage of several workers; no persistence."""

    @property
    def storage_uri(self):
        return f"redis://{HOST}:{self.port}/0"

    def ready(self):
        try:
            with socket.create_connection((HOST, self.port), timeout=2) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def redis_server(workdir):
    if shutil.which("redis-server") is None:
        sys.exit("More than one worker needs Redis for the rate limits: sudo apt-get install redis-server")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    argv = ["redis-server", "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no",
            "--dir", str(workdir), "--daemonize", "no"]
    return RedisServer("redis", argv, dict(os.environ), port, workdir / "redis.log", cwd=workdir)


def machine():
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                          if line.startswith("MemTotal")))
    except (OSError, StopIteration, ValueError):
        mem_kb = 0
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gib": round(mem_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "load_average_at_start": os.getloadavg()}


def _serve(args):
    """Prepare and serve the production-like portal until interrupted (bench/lighthouse.sh)."""
    own_workdir = not args.workdir
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="portal-bench-"))
    env = production_env(workdir, args.port)
    prepare(env)
    server = gunicorn_server("portal", env, args.port, workdir / "gunicorn.log")
    server.start()
    print(f"serving {server.url} (pid {server.process.pid}, data in {workdir})", flush=True)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    try:
        while not stop and server.process.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        if own_workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the production-like portal on 127.0.0.1 until stopped")
    serve.add_argument("--port", type=int, default=0)
    serve.add_argument("--workdir", default="")
    arguments = parser.parse_args()
    if arguments.command == "serve":
        arguments.port = arguments.port or free_port()
        _serve(arguments)
