"""Sessions carry their owner and a fencing epoch; finished sessions are found by end time.

Several Coach instances may share one database. The instance serving a session holds it
with an epoch that every takeover (a resume on another instance) increments; a write of
frames, turns or the report commits only while the writer's epoch is the session's, so an
instance that lost a session can never write into it again. The index serves retention
(deleting finished sessions' frames after COACH_RETENTION_DAYS).

Revision ID: 0003_session_owner
Revises: 0002_session_prompts
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_session_owner"
down_revision = "0002_session_prompts"


def upgrade() -> None:
    op.add_column("sessions", sa.Column("epoch", sa.BigInteger, nullable=False, server_default="0"))
    op.add_column("sessions", sa.Column("owner", sa.String(64)))
    op.create_index("ix_sessions_ended_at", "sessions", ["ended_at"])
