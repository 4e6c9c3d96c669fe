"""What `make run` and `make serve` do to a database before serving it.

One list, so the Makefile (through `manage.py setup_demo`) and the test that runs
the steps twice (tests/integration/test_setup_demo.py) cannot drift apart. Every
step must be safe to repeat: a second run changes nothing.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SetupStep:
    says: str  # printed before the step runs
    command: str
    args: tuple[str, ...] = ()


SETUP_STEPS = (
    SetupStep("Applying database migrations", "migrate", ("--noinput",)),
    SetupStep("Loading the demo catalog (adds only what is missing)", "load_catalog"),
    SetupStep("Adding demo acquisition costs to packs without one", "load_demo_costs"),
    SetupStep("Creating the demo staff accounts", "create_demo_staff"),
    SetupStep("E-prescriptions: the demo intermediary", "erx_demo_intermediary"),
    SetupStep(
        "Receiving two demo lots of each pack (one expiring soon)", "load_demo_lots"
    ),
)
