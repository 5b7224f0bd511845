"""Signed outbound webhooks for case events."""
