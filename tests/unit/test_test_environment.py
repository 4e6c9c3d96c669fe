"""What a test run may and may not change around it."""

import os


def test_the_async_switch_is_off_outside_browser_tests():
    # Only tests/browser/ turn on DJANGO_ALLOW_ASYNC_UNSAFE, and they run last.
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ
