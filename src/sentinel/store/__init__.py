"""Storage: one Store protocol; SQLite for the embedded runtime."""
