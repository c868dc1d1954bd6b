"""Donate-your-followers campaigns: pledges, the auction, payments and the broadcast."""
