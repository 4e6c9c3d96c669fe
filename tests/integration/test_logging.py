"""The development server's log: each line once; an expected 403 or 404 is one
line without a traceback; a real 500 keeps its traceback."""

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import include, path


def _forbidden(request):
    raise PermissionDenied


def _missing(request):
    raise Http404("no such page")


def _broken(request):
    raise RuntimeError("a real bug")


urlpatterns = [
    path("forbidden/", _forbidden),
    path("missing/", _missing),
    path("broken/", _broken),
    # The site's own URLs, which our error pages (header, footer) link to.
    path("", include("pharmacy.urls")),
]


def _emitting_handlers(name: str) -> list[logging.Handler]:
    """The handlers a record logged on `name` reaches, pytest's own left out."""
    handlers = []
    logger: logging.Logger | None = logging.getLogger(name)
    while logger is not None:
        handlers += [
            h for h in logger.handlers if not type(h).__module__.startswith("_pytest")
        ]
        logger = logger.parent if logger.propagate else None
    return handlers


@pytest.mark.parametrize(
    "name", ["django.request", "django.utils.autoreload", "django.security.csrf"]
)
def test_each_django_record_reaches_one_handler(name):
    assert len(_emitting_handlers(name)) == 1


def test_the_autoreloader_notice_is_shown_in_development():
    # "Watching for file changes with StatReloader" is INFO; it still shows.
    assert logging.getLogger("django.utils.autoreload").isEnabledFor(logging.INFO)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "status", "message"),
    [("/missing/", 404, "Not Found: /missing/"), ("/forbidden/", 403, "Forbidden")],
)
def test_an_expected_4xx_logs_one_line_without_a_traceback(
    db, caplog, url, status, message
):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.WARNING):
        response = client.get(url)

    assert response.status_code == status
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert records[0].getMessage().startswith(message)
    assert records[0].exc_info is None
    assert "Traceback" not in caplog.text


@pytest.mark.urls(__name__)
def test_a_real_500_logs_its_traceback_once(db, caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.WARNING):
        response = client.get("/broken/")

    assert response.status_code == 500
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert records[0].exc_info is not None
    assert caplog.text.count("RuntimeError: a real bug") == 1
