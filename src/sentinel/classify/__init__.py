"""Keyword classification: taxonomy, scheme expressions, fast matching."""
