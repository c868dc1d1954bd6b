"""HTML handlers of the grants pipeline: parse, call one use case, render or redirect."""
