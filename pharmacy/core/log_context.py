"""What every log line says about where it came from: the request's id and
the signed-in user's id, never anything about them.

The request id is taken from an ``X-Request-ID`` header a proxy set (when it
is a short token) or made here, and sent back in the response's header. A
Celery task queued during the request carries it in the message's headers,
so the worker's lines for that task carry the same id (and a task run in the
process that queued it simply shares the request's).
"""

import contextvars
import logging
import re
import uuid

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept only if it looks like one: no header can put text of
# its choosing (or health data) into every log line.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
user_id: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "user_id", default=None
)


def request_id_new(offered: str | None = None) -> str:
    if offered and _SAFE_ID.match(offered):
        return offered
    return uuid.uuid4().hex


class RequestLogContextMiddleware:
    """Sets the request id and user id for the request's log lines. After
    AuthenticationMiddleware, which gives the user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request_id_new(request.headers.get(REQUEST_ID_HEADER))
        rid_token = request_id.set(rid)
        user = getattr(request, "user", None)
        uid_token = user_id.set(user.pk if user and user.is_authenticated else None)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(rid_token)
            user_id.reset(uid_token)
        response.headers[REQUEST_ID_HEADER] = rid
        return response


class LogContextFilter(logging.Filter):
    """Adds request_id and user_id to every record (the JSON formatter
    prints them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.user_id = user_id.get()
        return True


# -- Celery: the id travels in the task message's headers --------------------------


def task_headers_add(headers=None, **kwargs) -> None:
    """before_task_publish: the queuing request's ids go with the task."""
    if headers is not None and request_id.get():
        headers.setdefault("request_id", request_id.get())
        headers.setdefault("user_id", user_id.get())


_task_tokens: dict[str, tuple] = {}


def task_context_enter(task_id=None, task=None, **kwargs) -> None:
    """task_prerun: a task from a worker takes its message's ids; one run
    eagerly inside a request keeps the request's."""
    request = getattr(task, "request", None)
    headers = getattr(request, "headers", None) or {}
    rid = getattr(request, "request_id", None) or headers.get("request_id")
    if rid is None:
        return
    uid = getattr(request, "user_id", None) or headers.get("user_id")
    _task_tokens[task_id] = (request_id.set(rid), user_id.set(uid))


def task_context_leave(task_id=None, **kwargs) -> None:
    tokens = _task_tokens.pop(task_id, None)
    if tokens:
        request_id.reset(tokens[0])
        user_id.reset(tokens[1])


def celery_signals_connect() -> None:
    from celery.signals import before_task_publish, task_postrun, task_prerun

    before_task_publish.connect(task_headers_add, dispatch_uid="log_context_publish")
    task_prerun.connect(task_context_enter, dispatch_uid="log_context_prerun")
    task_postrun.connect(task_context_leave, dispatch_uid="log_context_postrun")
