"""The OpenAPI schema's error answers, shared by every API operation (a
drf-spectacular post-processing hook, ``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``)."""

from __future__ import annotations

FIELD_ERRORS = {
    "type": "object",
    "description": (
        'A bad filter: each offending parameter with its messages, {"field": ["message"]}; '
        "errors about the request as a whole (an unknown parameter) under non_field_errors."
    ),
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
DETAIL = {
    "type": "object",
    "required": ["detail"],
    "properties": {"detail": {"type": "string"}},
}


def add_error_responses(result, generator, request, public):
    """400 (lists), 404 and 429 on every ``/api/v1/`` operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["FieldErrors"] = FIELD_ERRORS
    schemas["Detail"] = DETAIL

    def answer(description: str, schema: str) -> dict:
        content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}
        return {"description": description, "content": content}

    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        is_list = path.endswith("/") and not path.rstrip("/").endswith("}")
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if is_list:
                responses["400"] = answer("A bad filter, page or cursor.", "FieldErrors")
            responses["404"] = answer(
                "No such page." if is_list else "No such object, or not yours to see.", "Detail"
            )
            too_many = answer("Rate limit reached; retry after Retry-After seconds.", "Detail")
            too_many["headers"] = {
                "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}
            }
            responses["429"] = too_many
    return result
