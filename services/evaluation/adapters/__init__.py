"""SQL behind the evaluation ports: its tables, the records it reads, its unit of work."""
