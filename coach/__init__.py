"""Coach: an open-source AI interview coach for system-design and leadership rounds."""

__version__ = "0.1.0"
