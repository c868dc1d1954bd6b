"""Organisations (tenants), memberships with roles, and invitations."""
