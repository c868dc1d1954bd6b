"""Project pages: the staff's (projects, reports, indicators) and the co-op's own."""
