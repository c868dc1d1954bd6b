"""Social networks behind the `SocialProvider` protocol: one module per network (X today)."""
