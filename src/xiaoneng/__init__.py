"""Xiaoneng (效能): an administrative-efficiency supervision platform."""

__version__ = "0.1.0"
