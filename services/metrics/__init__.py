"""socorg metrics: Projections of the plans' policy targets."""
