"""Grouping posts into incidents, their heat, and who owns them."""
