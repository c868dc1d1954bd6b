"""What only development, tests and benchmarks use: simulators of outside services and demo
data. Never imported in production (a contract in `make test` checks it)."""
