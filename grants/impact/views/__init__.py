"""Impact pages: the staff's dashboard, the practice library and the public directory."""
