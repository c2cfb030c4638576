"""The reviews app's forms, one module per feature (reviews, costs, decision, signoff, records)."""
