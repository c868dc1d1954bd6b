"""Benchmarks run by `make bench`: HTTP against a bare Starlette ceiling, then service scenarios."""
