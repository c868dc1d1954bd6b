"""The impact's reads: the dashboard (and its cache), practices and the public directory."""
