"""Sentinel: public-sentiment monitoring and response-window enforcement."""

__version__ = "0.1.0"
