"""Applications: the co-op's editor (drafts, files, submitting), messages, and screening by
staff."""
