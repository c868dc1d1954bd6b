"""What the programme learns: the staff's impact dashboard and its charts, practices worth
spreading, and the public directory of funded projects."""
