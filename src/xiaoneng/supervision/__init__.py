"""Supervision orders, reminders, callbacks and inspections."""
