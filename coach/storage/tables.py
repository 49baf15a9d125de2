"""The database schema, as SQLAlchemy Core tables, for the queries. The migrations in
alembic/versions create it; a change here needs a migration there."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

sessions = Table(
    "sessions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("token_hash", String(64), nullable=False),
    Column("question_id", String(64), nullable=False),
    Column("state", String(16), nullable=False),  # active | ended
    Column("provider", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
    Column("prompt_tokens", Integer, nullable=False, default=0),
    Column("completion_tokens", Integer, nullable=False, default=0),
    Column("cost_usd", Float, nullable=False, default=0.0),
    Column("score", Integer),
    # The prompt versions an LLM session ran with ("interviewer.v2 suggestions.v1 grade.v2");
    # null offline. Added by m002.
    Column("prompts", String(200)),
    # Which instance serves the session, and the fencing epoch each takeover increments; a
    # write commits only under the current epoch. Added by 0003.
    Column("epoch", BigInteger, nullable=False, server_default="0"),
    Column("owner", String(64)),
    Index("ix_sessions_ended_at", "ended_at"),
)

turns = Table(
    "turns",
    metadata,
    Column("session_id", String(32), ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("turn", Integer, primary_key=True),
    Column("role", String(16), nullable=False),  # interviewer | candidate
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

frames = Table(
    "frames",
    metadata,
    Column("session_id", String(32), ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("body", Text, nullable=False),  # the frame exactly as sent, for replay
)

reports = Table(
    "reports",
    metadata,
    Column("session_id", String(32), ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("report", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# The hand-rolled migrations' record, from before Alembic: read once to adopt such a database.
schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)
