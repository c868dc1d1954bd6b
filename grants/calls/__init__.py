"""Calls for proposals: the call, its application form as data, who is eligible, deadlines,
and the pages that publish and manage them."""
