"""Create the benchmark database named by DATABASE_URL when it does not exist yet, so that
`make bench` works on a fresh machine with only a PostgreSQL server running."""

from __future__ import annotations

import os
import sys

import environ
import psycopg2
from psycopg2 import sql


def ensure_database(url: str) -> bool:
    """True when the database was created, False when it was already there."""
    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit("make bench needs PostgreSQL: DATABASE_URL=postgres://...")
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    connection = psycopg2.connect(dbname="postgres", **params)
    connection.autocommit = True  # CREATE DATABASE cannot run inside a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            return True
    finally:
        connection.close()


if __name__ == "__main__":  # pragma: no cover
    created = ensure_database(os.environ["DATABASE_URL"])
    sys.stdout.write("benchmark database created\n" if created else "")
