"""Health checks, background tasks, backup and restore."""
