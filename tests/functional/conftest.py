"""Two production app servers (gunicorn) sharing one PostgreSQL and one Redis.

The store runs as it does behind a load balancer: ``pharmacy.settings.prod``,
two gunicorn instances with two sync workers each, on different ports of
127.0.0.1, both pointed at pytest's test database and at one Redis database.

Every test in this folder needs PostgreSQL (``DATABASE_URL``), a Redis server
on 127.0.0.1:6379 and gunicorn. Without them the tests are skipped with the
reason, unless REQUIRE_SCALE_TESTS=1 is set, in which case they fail so that a
CI run cannot pass by skipping them.
"""

import contextlib
import ctypes
import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.conf import settings

HERE = Path(__file__).resolve().parent
BASE_DIR = Path(settings.BASE_DIR)

REDIS_HOST = "127.0.0.1"
REDIS_PORT = 6379
# A Redis database of its own: `make bench` uses 5, development usually 0.
REDIS_DB = 9

WORKERS_PER_SERVER = 2
BOOT_TIMEOUT = 60  # seconds for an instance to answer /healthz
STOP_TIMEOUT = 15  # seconds for a graceful stop before SIGKILL
COLLECTSTATIC_TIMEOUT = 600

NEEDS_POSTGRES = (
    "needs PostgreSQL (set DATABASE_URL=postgres://...): the app servers share "
    "one database, and on SQLite that is a file only one process may write at "
    "a time, with no row locks for the stock race"
)


def scale_tests_required() -> bool:
    return os.environ.get("REQUIRE_SCALE_TESTS") == "1"


def missing(reason: str):
    """Skip, or fail when REQUIRE_SCALE_TESTS=1 says these tests must run."""
    if scale_tests_required():
        pytest.fail(f"REQUIRE_SCALE_TESTS=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _in_this_folder(item: pytest.Item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


def pytest_collection_modifyitems(config, items):
    if on_postgres() or scale_tests_required():
        return
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    for item in items:
        if _in_this_folder(item):
            item.add_marker(pytest.mark.skip(reason=f"{NEEDS_POSTGRES} ({engine})"))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before any fixture: with SQLite, the test database would be a file.
    if _in_this_folder(item) and not on_postgres() and scale_tests_required():
        pytest.fail(
            f"REQUIRE_SCALE_TESTS=1 but this run {NEEDS_POSTGRES}", pytrace=False
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test's report carries the end of each app server's log."""
    outcome = yield
    report = outcome.get_result()
    servers = getattr(item, "funcargs", {}).get("app_servers")
    if report.failed and servers:
        for server in servers:
            report.sections.append(
                (
                    f"gunicorn {server.name} ({server.url}) stderr, last lines",
                    server.tail(),
                )
            )


# -- Redis -------------------------------------------------------------------


def _resp(words: tuple[str, ...]) -> bytes:
    """A command in Redis's wire protocol."""
    out = b"*%d\r\n" % len(words)
    for word in words:
        data = word.encode()
        out += b"$%d\r\n%s\r\n" % (len(data), data)
    return out


def redis_db(*words: str) -> bytes:
    """One command on this folder's Redis database, and its one-line reply
    (b"+OK", b":1", ...). A plain socket: redis-py or redis-cli may be missing
    where the tests run. SELECT holds for one connection, so it goes first on
    the same one."""
    commands = [("SELECT", str(REDIS_DB)), words]
    with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=5) as sock:
        sock.sendall(b"".join(_resp(c) for c in commands))
        reply = b""
        while reply.count(b"\r\n") < len(commands):
            chunk = sock.recv(4096)
            if not chunk:
                break
            reply += chunk
    selected, _, answer = reply.partition(b"\r\n")
    if selected != b"+OK":
        raise RuntimeError(f"Redis SELECT {REDIS_DB} failed: {reply!r}")
    return answer.removesuffix(b"\r\n")


def redis_flush() -> None:
    """Empty this folder's Redis database: no session, basket or cached
    catalogue page of an earlier run may leak into this one."""
    reply = redis_db("FLUSHDB")
    if reply != b"+OK":
        raise RuntimeError(f"Redis FLUSHDB on db {REDIS_DB} failed: {reply!r}")


def _redis_reachable() -> str | None:
    """None when Redis answers, else why not."""
    try:
        reply = redis_db("PING")
    except (OSError, RuntimeError) as exc:
        return f"Redis is not reachable on {REDIS_HOST}:{REDIS_PORT} ({exc})"
    if reply != b"+PONG":
        return f"Redis on {REDIS_HOST}:{REDIS_PORT} did not answer PING: {reply!r}"
    return None


# -- The app servers -------------------------------------------------------------


@dataclass
class AppServer:
    name: str
    port: int
    process: subprocess.Popen
    stderr_path: Path
    stdout_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def tail(self, lines: int = 150) -> str:
        try:
            text = self.stderr_path.read_text(errors="replace")
        except OSError as exc:
            return f"(no log: {exc})"
        return "\n".join(text.splitlines()[-lines:]) or "(empty)"

    def stop(self) -> None:
        """SIGTERM (gunicorn's graceful stop), then SIGKILL to the whole
        process group (master and workers) if it hangs."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            warnings.warn(
                f"gunicorn {self.name} ignored SIGTERM for {STOP_TIMEOUT}s: killed",
                stacklevel=1,
            )
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(settings_dict: dict) -> str:
    """pytest's test database (test_<name>), as a URL the app servers read."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = quote(settings_dict.get("HOST") or "", safe="")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    name = quote(settings_dict["NAME"], safe="")
    return f"postgres://{credentials}{host}{port}/{name}"


def _server_env(*, database_url: str, media: Path) -> dict[str, str]:
    """Exactly `make serve`'s production environment, plus the shared services."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("STRIPE_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="pharmacy.settings.prod",
        SECRET_KEY=_SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        SERVE_MEDIA="1",
        DATABASE_URL=database_url,
        REDIS_URL=f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}",
        # One volume both servers mount, as uploads would need in production.
        MEDIA_ROOT=str(media / "public"),
        PRIVATE_MEDIA_ROOT=str(media / "private"),
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


# Every instance signs cookies (Oscar's basket cookie, messages) with one key.
_SECRET_KEY = secrets.token_urlsafe(50)


def _static_manifest_stale() -> str | None:
    """Why collectstatic must run (None when STATIC_ROOT's manifest already
    names every static file, none newer than it). Collecting with whitenoise's
    compression takes a minute, so it runs only when something changed."""
    from django.contrib.staticfiles import finders

    manifest = BASE_DIR / "staticfiles" / "staticfiles.json"
    try:
        collected = json.loads(manifest.read_text())["paths"]
        built = manifest.stat().st_mtime
    except (OSError, ValueError, KeyError) as exc:
        return f"no manifest ({exc})"
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            prefix = getattr(storage, "prefix", None)
            name = f"{prefix}/{path}" if prefix else path
            name = name.replace(os.sep, "/")
            if name not in collected:
                return f"{name} is not collected"
            if os.stat(storage.path(path)).st_mtime > built:
                return f"{name} changed"
    return None


def _collectstatic(env: dict[str, str]) -> None:
    if _static_manifest_stale() is None:
        return
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=COLLECTSTATIC_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"collectstatic failed ({result.returncode}):\n{result.stderr[-4000:]}",
            pytrace=False,
        )


def _die_with_parent() -> None:
    """In the child: SIGTERM when pytest dies, so no server outlives a killed run."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _control_socket_off() -> list[str]:
    """gunicorn 27 opens a control socket at one path per user
    (~/.gunicorn/gunicorn.ctl) by default: two instances, or these and a
    `make serve` or `make bench`, would take it from each other."""
    import gunicorn

    return ["--no-control-socket"] if gunicorn.version_info >= (27,) else []


def _start(*, name: str, env: dict[str, str], logs: Path) -> AppServer:
    port = _free_port()
    stderr_path = logs / f"gunicorn-{name}.stderr.log"
    stdout_path = logs / f"gunicorn-{name}.stdout.log"
    with open(stderr_path, "wb") as stderr, open(stdout_path, "wb") as stdout:
        process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "pharmacy.wsgi",
                "--workers",
                str(WORKERS_PER_SERVER),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--access-logfile",
                "-",
                *_control_socket_off(),
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=stdout,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    return AppServer(name, port, process, stderr_path, stdout_path)


def _wait_healthy(server: AppServer) -> None:
    deadline = time.monotonic() + BOOT_TIMEOUT
    last = "no answer"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"gunicorn {server.name} exited with {server.process.returncode}"
            )
        try:
            response = requests.get(f"{server.url}/healthz", timeout=2)
            # Ready: /healthz has reached the database and the cache.
            if response.status_code == 200:
                return
            last = f"{response.status_code} {response.text[:200]!r}"
        except requests.RequestException as exc:
            last = str(exc)
        time.sleep(0.2)
    raise RuntimeError(
        f"gunicorn {server.name} did not answer /healthz in {BOOT_TIMEOUT}s: {last}"
    )


@pytest.fixture(scope="module")
def app_servers(django_db_setup, tmp_path_factory):
    """Two gunicorn instances of the store, A and B, on one test database and
    one Redis database. Always stopped at the end, even when a test fails."""
    if not on_postgres():
        missing(NEEDS_POSTGRES)
    reason = _redis_reachable()
    if reason:
        missing(reason)
    if importlib.util.find_spec("redis") is None:
        missing(
            "redis-py is not installed, so Django's RedisCache (REDIS_URL) cannot "
            "work: install the project's dependencies"
        )
    if importlib.util.find_spec("gunicorn") is None:
        missing("gunicorn is not installed: install the project's dependencies")

    from django.db import connection

    redis_flush()
    root = tmp_path_factory.mktemp("app-servers")
    env = _server_env(
        database_url=_database_url(connection.settings_dict), media=root / "media"
    )
    _collectstatic(env)

    servers: list[AppServer] = []
    try:
        for name in ("A", "B"):
            servers.append(_start(name=name, env=env, logs=root))
        for server in servers:
            try:
                _wait_healthy(server)
            except RuntimeError as exc:
                pytest.fail(
                    f"{exc}\n--- its stderr ---\n{server.tail()}", pytrace=False
                )
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def shared_redis():
    """This test's Redis database, emptied first (sessions and cached pages of
    an earlier test can't be mistaken for this one's); call it to run one
    command there."""
    redis_flush()
    return redis_db
