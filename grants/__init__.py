"""Cooperative Small Grants: calls, applications, reviews, awards, outcomes, the directory."""
