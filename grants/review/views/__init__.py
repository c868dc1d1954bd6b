"""Review pages: the reviewer's queue and form, and the staff's pool, board and ranking."""
