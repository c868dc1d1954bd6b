"""Cooperative Small Grants: funds, calls, co-ops, applications, review, funded projects and
their impact, one package each; `grants.funds` is the only door other domains may use."""
