"""Durable storage of interviews (SQLite by default, PostgreSQL by URL)."""

from coach.storage.store import SessionRow, Store, StorageError, Turn, last_said, said_by, sqlite_url
from coach.storage.writes import Lease

__all__ = ["Lease", "SessionRow", "Store", "StorageError", "Turn", "last_said", "said_by", "sqlite_url"]
