"""socorg evaluation: The 3A–5A grading workflow (等级评估)."""
