"""Application pages: the applicant's editor and list, and the staff's screening."""
