"""A real Celery worker, on the production settings, takes jobs from Redis.

An email is written the way the store writes it (outbox.email_enqueue in a
transaction, in a process of its own with production settings); on commit
its delivery goes to Redis; the worker picks it up, the local SMTP server
refuses the first two tries, and the worker's back-off retries deliver it.

Needs PostgreSQL (the worker and the test share pytest's test database) and
Redis; see conftest.py for how a missing one skips or fails.
"""

import os
import subprocess
import sys
import time

import pytest
from django.db import connection

from pharmacy.core.models import OutboundEmail
from tests.functional.conftest import (
    BASE_DIR,
    _database_url,
    _die_with_parent,
    _redis_reachable,
    missing,
)
from tests.smtp_server import local_smtp

pytestmark = pytest.mark.django_db(transaction=True)

# A Redis database of its own (h13's by default), flushed by nobody else.
REDIS_DB = int(os.environ.get("TASK_WORKER_REDIS_DB", "6"))
BROKER_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
BACKOFF = 1  # seconds: tries at about 0 s, 1 s and 3 s
DEADLINE = 60

ENQUEUE = """
import django
django.setup()
from django.core.mail import EmailMessage
from django.db import transaction
from pharmacy.core import outbox
with transaction.atomic():
    email = outbox.email_enqueue(message=EmailMessage(
        "Order 100001 received", "Body", "orders@pharmacy.invalid",
        ["guest@example.com"]))
print(email.pk)
"""


def _env(smtp_port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("STRIPE_", "DJANGO_", "CELERY_", "REDIS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="pharmacy.settings.prod",
        SECRET_KEY="worker-test-secret-key-not-for-production-0123456789abcdef",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=_database_url(connection.settings_dict),
        CELERY_BROKER_URL=BROKER_URL,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_RETRY_BACKOFF_SECONDS=str(BACKOFF),
        EMAIL_MAX_TRIES="5",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture
def redis_broker():
    reason = _redis_reachable()
    if reason:
        missing(reason)
    import redis

    client = redis.Redis.from_url(BROKER_URL)
    client.flushdb()
    yield
    client.flushdb()


def test_a_real_worker_retries_a_refused_email_with_back_off_until_sent(
    redis_broker, tmp_path
):
    with local_smtp(refuse_first=2) as (smtp, port):
        env = _env(port)
        log = open(tmp_path / "worker.log", "wb")  # noqa: SIM115
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "pharmacy",
                "worker",
                "--pool",
                "solo",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "--loglevel",
                "INFO",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,  # noqa: PLW1509
        )
        try:
            enqueued = subprocess.run(
                [sys.executable, "-c", ENQUEUE],
                cwd=BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert enqueued.returncode == 0, enqueued.stderr[-3000:]
            email_id = int(enqueued.stdout.split()[-1])

            deadline = time.monotonic() + DEADLINE
            while time.monotonic() < deadline:
                email = OutboundEmail.objects.get(pk=email_id)
                if email.status == OutboundEmail.Status.SENT:
                    break
                time.sleep(0.5)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            log.close()
        worker_log = (tmp_path / "worker.log").read_text(errors="replace")

    assert email.status == OutboundEmail.Status.SENT, worker_log[-4000:]
    assert email.attempts == 3
    assert len(smtp.accepted) == 1
    assert smtp.accepted[0]["Subject"] == "Order 100001 received"
    # Backed off between tries: about BACKOFF, then 2 x BACKOFF.
    first, second, third = smtp.tries
    assert second - first >= BACKOFF * 0.9
    assert third - second >= 2 * BACKOFF * 0.9
