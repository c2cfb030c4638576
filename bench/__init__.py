"""Measurements, not tests: `make bench` (`manage.py bench`, `manage.py bench_dashboard`).

Installed in the dev and test settings only, never in production. The commands use the apps'
public functions (scoring, records, reviews.demo), so they measure what the pages run.
"""
