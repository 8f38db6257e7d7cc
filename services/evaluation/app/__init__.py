"""The evaluation application layer: commands, their handlers, the ports, the queries."""
