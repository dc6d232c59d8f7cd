"""HTTP API (REST under /api/v1) and the console pages."""
