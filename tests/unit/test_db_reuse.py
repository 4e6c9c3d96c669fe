"""`make test` keeps the test database only while its schema is unchanged."""

from tests import db_reuse


def _project(tmp_path):
    (tmp_path / "shop" / "migrations").mkdir(parents=True)
    (tmp_path / "shop" / "migrations" / "0001_initial.py").write_text("# one\n")
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "lock.txt").write_text("django==5.2\n")
    return tmp_path


def test_a_stored_schema_is_current_until_a_migration_changes(tmp_path):
    base = _project(tmp_path)
    db_reuse.remember_schema(base, contents="[]")
    assert db_reuse.reused_database_is_current(base)
    assert db_reuse.fresh_contents(base) == "[]"

    (base / "shop" / "migrations" / "0001_initial.py").write_text("# edited\n")

    assert not db_reuse.reused_database_is_current(base)


def test_a_new_migration_or_a_new_lock_makes_the_database_stale(tmp_path):
    base = _project(tmp_path)
    db_reuse.remember_schema(base)

    (base / "shop" / "migrations" / "0002_more.py").write_text("# two\n")
    assert not db_reuse.reused_database_is_current(base)

    db_reuse.remember_schema(base)
    (base / "requirements" / "lock.txt").write_text("django==5.2.1\n")
    assert not db_reuse.reused_database_is_current(base)


def test_no_stamp_means_create_the_database(tmp_path):
    assert not db_reuse.reused_database_is_current(_project(tmp_path))


def test_migrations_inside_the_virtualenv_are_not_ours(tmp_path):
    base = _project(tmp_path)
    before = db_reuse.schema_fingerprint(base)
    venv_migrations = base / ".venv" / "lib" / "app" / "migrations"
    venv_migrations.mkdir(parents=True)
    (venv_migrations / "0001_initial.py").write_text("# theirs\n")

    assert db_reuse.schema_fingerprint(base) == before
