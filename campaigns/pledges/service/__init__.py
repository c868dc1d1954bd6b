"""The pledges' use cases: connect, pledge and withdraw, refresh, keep tokens only as needed."""
