"""The applications' use cases: the applicant's side and the staff's screening."""
