"""Consumers of the evaluation service: its projection of REGISTRY."""
