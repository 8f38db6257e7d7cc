"""`socorg evaluation-demo`: a grading round over the demo register, from announcement to the
grades recorded on the registry."""
