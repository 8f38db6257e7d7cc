"""HTTP pieces every service shares: app factory, keys, problems, idempotency, logging."""
