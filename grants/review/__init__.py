"""Review: rubrics, the reviewer pool and conflicts of interest, assignment, reviewing,
scoring and ranking, the funding line and decisions within a budget."""
