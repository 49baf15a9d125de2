"""Durable storage of interviews (SQLite by default, PostgreSQL by URL)."""

from coach.storage.store import SessionRow, Store, StorageError, Turn, last_said, said_by, sqlite_url

__all__ = ["SessionRow", "Store", "StorageError", "Turn", "last_said", "said_by", "sqlite_url"]
