"""The campaign use cases: one transaction each, domain values in, models out."""
