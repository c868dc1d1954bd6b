"""The auction's use cases: setting it up, bidding, sponsors' cards, settlement."""
