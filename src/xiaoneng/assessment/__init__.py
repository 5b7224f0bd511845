"""Metrics, rollups, dashboards, hotspots and bulletins."""
