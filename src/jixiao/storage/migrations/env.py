"""Alembic environment, configured from code (`jixiao.storage.database.alembic_config`), not an ini file.

The caller hands over an open connection in `config.attributes["connection"]`, so that the
CLI, the tests and the web app migrate through the engine they already use. Batch mode
is on because SQLite can only alter a table by copying it.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from jixiao.storage.orm import Base

config = context.config


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=Base.metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
elif (given := config.attributes.get("connection")) is not None:
    run(given)
else:
    with create_engine(config.get_main_option("sqlalchemy.url") or "", poolclass=NullPool).connect() as opened:
        run(opened)
