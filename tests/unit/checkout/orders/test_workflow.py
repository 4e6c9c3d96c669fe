"""The order's life is declared once: Oscar's status pipeline is derived from
it, every permission the store checks is asked of the one table of roles by
name, and each action's row holds together."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from checkout.dispensing.admin.actions import DECISIONS
from checkout.orders import workflow
from checkout.orders.workflow import ACTIONS, OrderStatus
from pharmacy.staff.roles import ROLE_PERMISSIONS, Perm

ROOT = Path(__file__).resolve().parents[4]
PRODUCTION = ("pharmacy", "catalog", "checkout")


def test_oscars_status_pipeline_is_the_workflows():
    assert workflow.status_pipeline() == settings.OSCAR_ORDER_STATUS_PIPELINE
    assert workflow.status_pipeline() == settings.OSCAR_LINE_STATUS_PIPELINE
    assert workflow.PLACE.ends_in == settings.OSCAR_INITIAL_ORDER_STATUS


def test_the_pipeline_allows_exactly_the_moves_some_action_makes():
    pipeline = workflow.status_pipeline()
    moves = {
        (start, action.ends_in)
        for action in ACTIONS.values()
        if action.ends_in is not None
        for start in action.starts_from
    }
    assert {(s, after) for s, nxt in pipeline.items() for after in nxt} == moves


def test_nothing_ships_before_a_pharmacist_approves_and_fills_it():
    [dispatch] = [a for a in ACTIONS.values() if a.ends_in == OrderStatus.DISPATCHED]
    assert dispatch.starts_from == (OrderStatus.FILLED,)
    [fill] = [a for a in ACTIONS.values() if a.ends_in == OrderStatus.FILLED]
    assert fill.starts_from == (OrderStatus.APPROVED,)
    assert fill.permission == Perm.REVIEW_PRESCRIPTIONS
    [approve] = [a for a in ACTIONS.values() if a.ends_in == OrderStatus.APPROVED]
    assert approve.permission == Perm.REVIEW_PRESCRIPTIONS


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_a_staff_action_names_a_permission_some_role_holds(name):
    action = ACTIONS[name]
    if action.permission is None:
        return  # the customer's or the store's own
    app, codename = action.permission.value.split(".")
    holders = [r for r, perms in ROLE_PERMISSIONS.items() if (app, codename) in perms]
    assert holders, f"no role may {name}"


def test_each_review_page_decision_takes_workflow_actions_only():
    for decision in DECISIONS.values():
        assert decision.takes
        assert all(action in ACTIONS.values() for action in decision.takes)


def _permission_asks(path: Path) -> list[str]:
    """Calls of has_perm, and permission names spelled as strings."""
    found = []
    spelled = {p.value for p in Perm}
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute) and node.attr == "has_perm":
            found.append(f"{path}:{node.lineno} has_perm")
        if isinstance(node, ast.Constant) and node.value in spelled:
            found.append(f"{path}:{node.lineno} {node.value!r}")
    return found


def test_every_permission_the_store_checks_is_asked_of_the_roles_table_by_name():
    roles = ROOT / "pharmacy" / "staff" / "roles.py"
    modules = [
        path
        for package in PRODUCTION
        for path in (ROOT / package).rglob("*.py")
        if path != roles and "migrations" not in path.parts
    ]
    assert len(modules) > 100, "the scan must see the store's code"
    assert [ask for path in modules for ask in _permission_asks(path)] == []
