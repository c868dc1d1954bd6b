"""Co-op profiles and the people who act for them: contacts and their invitations."""
