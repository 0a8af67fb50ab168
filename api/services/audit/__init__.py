"""The audit: the session hook that writes the trail of every metadata change, and reading it back."""
