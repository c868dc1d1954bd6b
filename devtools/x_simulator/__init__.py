"""A local server that speaks the subset of the X API Harambee uses, with its bad days."""
