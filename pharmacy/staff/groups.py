"""The role groups in the database, kept to exactly the table in roles.py."""

from django.contrib.auth.models import Group, Permission

from pharmacy.staff.roles import ROLE_PERMISSIONS


def staff_groups_ensure() -> dict[str, Group]:
    """Create the role groups and set their permissions to exactly ROLE_PERMISSIONS."""
    groups = {}
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=code)
                for app, code in perms
            ]
        )
        groups[name] = group
    return groups


def staff_groups_after_migrate(sender, using="default", **kwargs) -> None:
    """After every ``migrate``, on every install, set the role groups to the
    table: a new install has them before anyone signs in, and a deploy that
    changed the table applies it. Runs once, after the last app's signal,
    when every app's permissions exist (Django creates them per app)."""
    from django.apps import apps

    last = [c for c in apps.get_app_configs() if c.models_module is not None][-1]
    if sender.label != last.label or using != "default":
        return
    staff_groups_ensure()
