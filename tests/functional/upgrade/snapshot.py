"""Every row of every table of a PostgreSQL database, and what changed between
two such snapshots, in words that name the table, the row and the column.

Read with psycopg2 straight from the catalogue, not through Django's models:
the point is to see the tables as they are, whatever the code thinks of them.
"""

import contextlib
import secrets
from dataclasses import dataclass, field

import psycopg2
from psycopg2 import sql

# How much of a diff is worth reading: the first problems of each table.
SHOWN_PER_TABLE = 20
SHOWN_VALUE = 160


@dataclass(frozen=True)
class Table:
    columns: dict[str, str]  # name -> type, in table order
    key: tuple[str, ...]  # the primary key's columns (every column if none)
    rows: dict[tuple, dict[str, object]]  # key -> {column: value}


@dataclass(frozen=True)
class Snapshot:
    tables: dict[str, Table]
    sequences: dict[str, int | None]  # name -> last value given out

    def row_count(self) -> int:
        return sum(len(table.rows) for table in self.tables.values())


@dataclass
class Comparison:
    """``problems``: what an upgrade must never do (a table, column or row
    gone, a value changed, a sequence moved back). ``additions``: what later
    migrations may do (new tables, columns and rows), for the record."""

    problems: list[str] = field(default_factory=list)
    additions: list[str] = field(default_factory=list)


@contextlib.contextmanager
def scratch_database(settings_dict: dict, *, prefix: str):
    """A new, empty database beside the one in ``settings_dict`` (same server
    and credentials), with a name no other run uses; dropped afterwards, with
    any connection a killed subprocess left open."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    params = connect_params(settings_dict, dbname="postgres")
    admin = psycopg2.connect(**params)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield {**settings_dict, "NAME": name}
        finally:
            with admin.cursor() as cursor:
                cursor.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(name)
                    )
                )
    finally:
        admin.close()


def connect_params(settings_dict: dict, *, dbname: str | None = None) -> dict:
    params = {
        "dbname": dbname or settings_dict["NAME"],
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
    }
    return {name: value for name, value in params.items() if value is not None}


def _columns(cursor) -> dict[str, dict[str, str]]:
    cursor.execute(
        """
        SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
          FROM pg_attribute a
          JOIN pg_class c ON c.oid = a.attrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
           AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY c.relname, a.attnum
        """
    )
    tables: dict[str, dict[str, str]] = {}
    for table, column, type_ in cursor.fetchall():
        tables.setdefault(table, {})[column] = type_
    return tables


def _primary_keys(cursor) -> dict[str, tuple[str, ...]]:
    cursor.execute(
        """
        SELECT c.relname, array_agg(a.attname ORDER BY k.ord)
          FROM pg_index i
          JOIN pg_class c ON c.oid = i.indrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
         WHERE n.nspname = 'public' AND i.indisprimary
         GROUP BY c.relname
        """
    )
    return {table: tuple(columns) for table, columns in cursor.fetchall()}


def _plain(value):
    # bytea arrives as a memoryview, which compares by identity
    return bytes(value) if isinstance(value, memoryview) else value


def _rows(cursor, table: str, columns: list[str], key: tuple[str, ...]) -> dict:
    cursor.execute(
        sql.SQL("SELECT {} FROM {} ORDER BY {}").format(
            sql.SQL(", ").join(map(sql.Identifier, columns)),
            sql.Identifier(table),
            sql.SQL(", ").join(map(sql.Identifier, key)),
        )
    )
    rows: dict[tuple, dict[str, object]] = {}
    for values in cursor.fetchall():
        row = dict(zip(columns, map(_plain, values), strict=True))
        row_key = tuple(row[name] for name in key)
        if row_key in rows:  # no primary key, and the same row twice
            row_key = (*row_key, len(rows))
        rows[row_key] = row
    return rows


def snapshot_take(settings_dict: dict) -> Snapshot:
    """Every column of every row of every table in the public schema, keyed
    by primary key, and where each sequence stands."""
    connection = psycopg2.connect(**connect_params(settings_dict))
    try:
        # One repeatable-read transaction: one consistent picture.
        connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with connection.cursor() as cursor:
            keys = _primary_keys(cursor)
            tables = {}
            for name, columns in _columns(cursor).items():
                key = keys.get(name) or tuple(columns)
                tables[name] = Table(
                    columns=columns,
                    key=key,
                    rows=_rows(cursor, name, list(columns), key),
                )
            cursor.execute(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = 'public'"
            )
            sequences = dict(cursor.fetchall())
        connection.rollback()
    finally:
        connection.close()
    return Snapshot(tables=tables, sequences=sequences)


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= SHOWN_VALUE else text[: SHOWN_VALUE - 3] + "..."


def _row_name(table: Table, key: tuple) -> str:
    return ", ".join(
        f"{column}={_shown(value)}"
        for column, value in zip(table.key, key, strict=False)
    )


def _row_preview(table: Table, key: tuple) -> str:
    """The key and the first few other values, e.g. a migration's app and name."""
    row = table.rows[key]
    rest = [column for column in table.columns if column not in table.key][:3]
    values = ", ".join(f"{column}={_shown(row[column])}" for column in rest)
    return f"{_row_name(table, key)} ({values})"


def _rows_compare(name: str, before: Table, after: Table, result: Comparison):
    found: list[str] = []
    kept_columns = [column for column in before.columns if column in after.columns]
    for key, old in before.rows.items():
        new = after.rows.get(key)
        if new is None:
            found.append(f"{name}: row {_row_name(before, key)} is gone: {old!r}")
            continue
        for column in kept_columns:
            if old[column] != new[column]:
                found.append(
                    f"{name}: row {_row_name(before, key)}, column {column} was "
                    f"{_shown(old[column])}, is now {_shown(new[column])}"
                )
    if len(found) > SHOWN_PER_TABLE:
        found[SHOWN_PER_TABLE:] = [
            f"{name}: ... and {len(found) - SHOWN_PER_TABLE} more differences"
        ]
    result.problems += found
    added = [key for key in after.rows if key not in before.rows]
    if added:
        result.additions.append(
            f"{name}: {len(added)} new row(s): "
            + "; ".join(_row_preview(after, key) for key in added[:10])
            + (" ..." if len(added) > 10 else "")
        )


def snapshots_compare(before: Snapshot, after: Snapshot) -> Comparison:
    """What happened to ``before``'s tables, columns, rows and sequences."""
    result = Comparison()
    for name, old in before.tables.items():
        new = after.tables.get(name)
        if new is None:
            result.problems.append(
                f"table {name} is gone (it had {len(old.rows)} rows)"
            )
            continue
        for column, type_ in old.columns.items():
            if column not in new.columns:
                result.problems.append(
                    f"{name}: column {column} is gone (values of {len(old.rows)} "
                    "rows lost)"
                )
            elif new.columns[column] != type_:
                result.additions.append(
                    f"{name}.{column}: type {type_} is now {new.columns[column]}"
                )
        if new.key != old.key:
            result.problems.append(
                f"{name}: primary key was {old.key}, is now {new.key}"
            )
            continue
        _rows_compare(name, old, new, result)
        result.additions += [
            f"{name}: new column {column} {type_}"
            for column, type_ in new.columns.items()
            if column not in old.columns
        ]
    result.additions += [
        f"new table {name} ({len(table.rows)} rows)"
        for name, table in after.tables.items()
        if name not in before.tables
    ]
    for name, last in before.sequences.items():
        if name not in after.sequences:
            result.problems.append(f"sequence {name} is gone")
        elif last is not None and (after.sequences[name] or 0) < last:
            # The next insert would be given an id that an old row holds.
            result.problems.append(
                f"sequence {name} went back from {last} to {after.sequences[name]}"
            )
    return result
