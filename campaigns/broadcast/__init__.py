"""The broadcast: the sponsor's post, scheduling, publishing, the fan-out and its limiter,
assisted mode and the report."""
