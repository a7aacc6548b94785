"""Schemathesis hooks for the API Challenges OpenAPI document (loaded via SCHEMATHESIS_HOOKS)."""

import schemathesis

# QUERY /api/todos takes a JSONPath expression as `application/jsonpath`: a plain text body.
schemathesis.serializer.alias("application/jsonpath", "text/plain")
