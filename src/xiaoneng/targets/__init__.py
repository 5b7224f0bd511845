"""Yearly targets split into tasks with milestones and progress."""
