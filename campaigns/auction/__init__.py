"""The sponsor auction: its rules, sponsors and their cards, bidding, payments, settlement
and Stripe's webhooks."""
