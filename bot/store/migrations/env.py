"""Alembic's entry point. newsbot runs migrations itself at start-up (bot.store.migrate) and hands the
open connection over in `config.attributes["connection"]`; there is no offline (SQL script) mode."""

from alembic import context

from bot.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("newsbot's migrations run through bot.store.migrate, on an open connection")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
