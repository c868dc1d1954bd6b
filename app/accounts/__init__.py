"""Users, sessions, passwords, API tokens and email verification."""
