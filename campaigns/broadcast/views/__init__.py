"""Broadcast pages: the sponsor's post and its review, and the staff's live page."""
