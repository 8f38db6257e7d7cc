"""socorg registry: The register of social organizations: every fact is an event."""
