"""`make bench`: the event pipeline measured against the raw limits of its own parts."""
