"""What the grants packages share: the call, application and review transition tables
(workflow), the programme's vocabulary, field types of the schemas, the staff check, and
what the handlers share (web)."""
