"""Review's use cases: the pool, assignment, reviewing, ranking and decisions."""
