from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class StaffConfig(AppConfig):
    """Staff roles, their demo accounts, two-factor sign-in to the admin and
    the staff session's limits."""

    name = "pharmacy.staff"
    label = "staff"
    verbose_name = "Staff"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from pharmacy.staff.groups import staff_groups_after_migrate
        from pharmacy.staff.sessions import staff_session_start

        user_logged_in.connect(staff_session_start, dispatch_uid="staff-session-start")
        post_migrate.connect(
            staff_groups_after_migrate, dispatch_uid="staff-groups-after-migrate"
        )


class StaffAdminConfig(AdminConfig):
    """Django's admin, with the site that asks staff for a TOTP code."""

    default_site = "pharmacy.staff.admin_site.PharmacyAdminSite"
