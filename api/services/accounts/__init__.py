"""Who is calling: logging in, sessions and API tokens, users and passwords."""
