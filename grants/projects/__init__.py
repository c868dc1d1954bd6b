"""Funded projects: agreements, tranches, outcome reports, indicators and reminders."""
