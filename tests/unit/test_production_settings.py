"""Production settings: no insecure defaults, and Django's deployment checks pass."""

import os
import subprocess
import sys

from django.conf import settings

PROD = {
    "DJANGO_SETTINGS_MODULE": "pharmacy.settings.prod",
    "SECRET_KEY": "a-long-random-production-secret-" + "k" * 40,
    "ALLOWED_HOSTS": "shop.example.com",
}


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    # A production process: none of the test session's own switches (the
    # browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, for one).
    dropped = ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_issues_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PROD)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PROD.items() if k != "SECRET_KEY"}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PROD.items() if k != "ALLOWED_HOSTS"}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_keeps_every_security_layer():
    """The hostile probe ran against production settings: the lockout, staff
    OTP, CSP and session rules must be on there, not only in tests."""
    script = (
        "from django.conf import settings as s;"
        "print(s.AUTHENTICATION_BACKENDS[0]);"
        "print(' '.join(s.MIDDLEWARE));"
        "print(s.AXES_FAILURE_LIMIT, s.AXES_LOCKOUT_PARAMETERS);"
        "print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])"
    )
    result = manage("shell", "-c", script, env=PROD)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()[-4:]
    backend, middleware, axes, script_src = lines
    assert backend == "axes.backends.AxesStandaloneBackend"
    for name in (
        "axes.middleware.AxesMiddleware",
        "django_otp.middleware.OTPMiddleware",
        "csp.middleware.CSPMiddleware",
        "pharmacy.staff.sessions.StaffSessionExpiryMiddleware",
        "pharmacy.core.middleware.PermissionsPolicyMiddleware",
    ):
        assert name in middleware.split()
    assert axes == "10 [['username', 'ip_address']]"
    assert script_src == "[\"'self'\"]"
