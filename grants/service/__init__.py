"""The grants use cases: one transaction each, domain values in, models out, AppErrors raised."""
