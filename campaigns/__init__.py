"""Donate-your-followers campaigns: the campaign itself here; pledges, the auction, the
broadcast and the social networks in a package each. Uses only `grants.funds` of grants."""
