"""socorg's shared platform: event store, contracts, HTTP pieces, settings, the launcher."""

VERSION = "0.1.0"
