"""Bulk import of an existing register (NDJSON or CSV rows) and snapshot exports.

A row becomes the events an organization's own commands decide (the same domain rules as
single writes), appended in batches of many streams per transaction with the read model.
"""
