"""The notifier domain: pure rules and aggregates (stdlib only; a test enforces it)."""
