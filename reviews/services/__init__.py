"""Writes on reviews, by concern: `reviews` (create, settings, cost inputs), `answers`,
`decisions` (the decision and its risks), `signoff` (request, sign, send back, withdraw) and
`revisions`. Each function is keyword-only, atomic, takes the review row's lock first
(`locking.locked_review`) and raises ValidationError (bad input), ReviewStateError (wrong
status) or PermissionDenied (wrong role)."""
