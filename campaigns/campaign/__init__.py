"""The campaign itself: its row and lifecycle, the staff's pages and the API's campaign
endpoints; the actors the campaigns' transition tables share."""
