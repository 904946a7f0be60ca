"""Expert review: rounds, assignments with conflict checks, rubric scoring (models load with workflows)."""
