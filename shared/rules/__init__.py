"""Pure rules the services share (stdlib only): the registry decides with them, the notifier
and evaluation reuse them without copying."""
