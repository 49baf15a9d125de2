"""Sessions record the prompt versions an LLM interview ran with.

Revision ID: 0002_session_prompts
Revises: 0001_initial
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_session_prompts"
down_revision = "0001_initial"


def upgrade() -> None:
    # A database from before Alembic may have the column already: its first migration built
    # the tables from whatever the code said at the time.
    if "prompts" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("sessions")}:
        op.add_column("sessions", sa.Column("prompts", sa.String(200)))
