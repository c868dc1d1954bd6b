"""Funded projects' use cases: starting and paying them, reports, indicators, their pages."""
