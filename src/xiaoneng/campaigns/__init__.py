"""Study campaigns, required submissions and learning records."""
