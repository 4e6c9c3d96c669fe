"""Each log line is one JSON object with the request's id and the user's id;
a task queued by the request carries the same id to the worker."""

import json
import logging
from types import SimpleNamespace

import pytest
from celery.app.task import Context
from django.test import Client
from django.urls import path

from pharmacy.core import log_context
from tests.factories import UserFactory
from tests.log_lines import json_lines_kept

logger = logging.getLogger("pharmacy.test")
queued_headers: list[dict] = []


def _logs_and_queues(request):
    from django.http import HttpResponse

    logger.warning("about to queue a task")
    headers: dict = {}
    log_context.task_headers_add(headers=headers)  # what before_task_publish does
    queued_headers.append(headers)
    return HttpResponse("ok")


urlpatterns = [path("logs/", _logs_and_queues)]


@pytest.fixture
def json_lines():
    with json_lines_kept(logger) as lines:
        yield ParsedLines(lines)
    queued_headers.clear()


class ParsedLines:
    """The kept lines, each read as the JSON object it is."""

    def __init__(self, lines: list[str]):
        self.lines = lines

    def __getitem__(self, index):
        return json.loads(self.lines[index])

    def __iter__(self):
        return (json.loads(line) for line in self.lines)


@pytest.mark.urls(__name__)
def test_a_request_s_lines_and_its_task_carry_one_request_id_and_the_user_id(
    json_lines, db
):
    user = UserFactory()
    client = Client()
    client.force_login(user)

    response = client.get("/logs/")

    [line] = json_lines
    assert line["message"] == "about to queue a task"
    assert line["level"] == "WARNING"
    assert line["user_id"] == user.pk
    assert line["request_id"] == response["X-Request-ID"]
    assert queued_headers == [{"request_id": line["request_id"], "user_id": user.pk}]

    # The worker: the task's message headers become its lines' ids.
    task = SimpleNamespace(request=Context(queued_headers[0]))
    log_context.task_context_enter(task_id="t1", task=task)
    logger.warning("sending the email")
    log_context.task_context_leave(task_id="t1")
    logger.warning("after the task")

    assert json_lines[1]["request_id"] == line["request_id"]
    assert json_lines[1]["user_id"] == user.pk
    assert json_lines[2]["request_id"] is None


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("offered", "kept"),
    [("edge-4f1c2a9b77d0", True), ("Jane Doe 1980-05-17", False), ("x" * 200, False)],
)
def test_a_proxy_s_request_id_is_kept_only_if_it_is_a_plain_token(
    json_lines, db, offered, kept
):
    response = Client().get("/logs/", headers={"X-Request-ID": offered})

    assert (response["X-Request-ID"] == offered) is kept
    assert json_lines[0]["request_id"] == response["X-Request-ID"]
    assert json_lines[0]["user_id"] is None
