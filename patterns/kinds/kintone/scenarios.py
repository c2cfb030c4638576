"""product.md's canonical scenarios for the kintone catalog: each must rank its pattern first.

S1 guest_space, S2 inter_org_access, S3 external_service, S4 separate_domain. Used by the
tests, the demo story (demo.py) and the benchmark, so the four rows exist once.
"""

S1 = {
    "partner_count": "one",
    "partners_use_kintone": "all",
    "external_user_count": "small",
    "internal_app_linkage": "not_needed",
    "group_based_admin": "not_needed",
    "exchange_complexity": "complex",
    "data_outside_kintone": "allowed",
    "cost_priority": "high",
}
S2 = {
    "partner_count": "many",
    "partner_isolation": "required",
    "external_user_count": "medium",
    "internal_app_linkage": "required",
    "group_based_admin": "required",
    "data_outside_kintone": "not_allowed",
    "internal_use_same_env": "no",
}
S3 = {
    "partner_count": "open",
    "external_user_count": "large",
    "exchange_complexity": "simple",
    "data_outside_kintone": "allowed",
    "confidentiality": "low",
    "external_needs_kintone_features": "no",
    "cost_priority": "high",
}
S4 = {
    "partner_count": "many",
    "partner_isolation": "required",
    "confidentiality": "high",
    "internal_use_same_env": "yes",
    "internal_app_linkage": "not_needed",
    "external_needs_kintone_features": "yes",
    "data_outside_kintone": "not_allowed",
    "paid_plugins": "none",
}
