"""Pledges: connecting a supporter's account, consent, reach and its quality, refreshing
profiles, tokens, and the supporter's pages."""
