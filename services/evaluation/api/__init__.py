"""The evaluation REST API: one router per resource, problem+json refusals."""
