"""Domain models and pure rules; no client libraries are imported here."""
