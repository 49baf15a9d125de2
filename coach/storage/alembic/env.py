"""Alembic's entry point for Coach. Migrations always run on a connection that
coach.storage.migrations hands over (inside its transaction, under its lock); Coach never
builds an engine from alembic.ini."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
