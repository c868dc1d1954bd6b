"""Auction pages: the sponsor's account, card, bids and payments, and Stripe's webhooks."""
