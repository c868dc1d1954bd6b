"""The OpenAPI 3.1 document, generated from the route table and the pydantic schemas."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from app.api import ApiSpec
from app.route_table import walk_routes

REF = "#/components/schemas/{model}"
CONVERTOR = re.compile(r"\{(\w+):\w+\}")
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"type": "object", "properties": {
        "code": {"type": "string"}, "message": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}},
    }, "required": ["code", "message", "fields"]}},
}


def _schema_ref(model: type[BaseModel], components: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template=REF)
    components.update(schema.pop("$defs", {}))
    components[model.__name__] = schema
    return {"$ref": REF.format(model=model.__name__)}


def _operation(route: Route, spec: ApiSpec, components: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": spec.summary, "operationId": route.name,
                                 "responses": {}}
    params = [name for name in route.param_convertors]
    if params:
        operation["parameters"] = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in params
        ]
    if spec.body is not None:
        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": _schema_ref(spec.body, components)}}}
    ok: dict[str, Any] = {"description": "OK"}
    if spec.response is not None:
        ref = _schema_ref(spec.response, components)
        schema = {"type": "array", "items": ref} if spec.many else ref
        ok["content"] = {"application/json": {"schema": schema}}
    operation["responses"][str(spec.status_code)] = ok
    for status in ("400", "401", "404", "409", "422"):
        operation["responses"][status] = {"description": "Error", "content": {
            "application/json": {"schema": {"$ref": REF.format(model="Error")}}}}
    if not spec.public:
        operation["security"] = [{"bearer": []}]
    return operation


def build_document(routes: list[BaseRoute]) -> dict[str, Any]:
    components: dict[str, Any] = {"Error": ERROR_SCHEMA}
    paths: dict[str, dict[str, Any]] = {}
    for path, route in walk_routes(routes):
        spec = getattr(route, "api_spec", None)
        if not isinstance(spec, ApiSpec):
            continue
        for method in sorted((route.methods or set()) - {"HEAD"}):
            openapi_path = CONVERTOR.sub(r"{\1}", path)  # /orgs/{org:slug} -> /orgs/{org}
            paths.setdefault(openapi_path, {})[method.lower()] = _operation(route, spec,
                                                                            components)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Harambee API", "version": "1"},
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"}}},
    }


async def openapi_json(request: Request) -> Response:
    return JSONResponse(build_document(request.app.routes))
