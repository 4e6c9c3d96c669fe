"""A real SMTP server on 127.0.0.1 (aiosmtpd, in a thread) for the email
tests: it can refuse the first tries with a temporary error, or answer slowly,
and it keeps what it accepted."""

import contextlib
import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes

from aiosmtpd.controller import Controller


@dataclass
class SMTPHandler:
    refuse_first: int = 0
    delay: float = 0.0
    tries: list[float] = field(default_factory=list)  # when each DATA arrived
    connections: int = 0
    accepted: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.connections += 1
        if self.delay:
            time.sleep(self.delay)  # blocks the server, as a stuck one would
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.tries.append(time.monotonic())
            if len(self.tries) <= self.refuse_first:
                return "451 4.3.0 Try again later"
            self.accepted.append(message_from_bytes(envelope.content))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def local_smtp(**options):
    handler = SMTPHandler(**options)
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_TIMEOUT = 10
