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
