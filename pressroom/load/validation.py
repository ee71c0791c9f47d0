"""pydantic's validation errors -> Problems that name the file, line and key."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from pressroom.errors import Problem
from pressroom.model.base import suggestion
from pressroom.model.located import Located, Path_, key_name


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def _data_path(data: Any, loc: tuple[int | str, ...], keep_last: bool) -> Path_:
    """Follow pydantic's location through the user's data.

    pydantic inserts the names of union members and validators into a location
    (``body.2.quote.quote``, ``signatories.groups.Orgs.1``); those are skipped
    because they are not keys of the data at that point.
    """
    path: list[str | int] = []
    node = data
    for index, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
        elif keep_last and index == len(loc) - 1:
            path.append(part)
    return tuple(path)


def _model_at(root: type[BaseModel], path: Path_) -> type[BaseModel] | None:
    """The model of the mapping that holds the last key of *path*, found by walking the
    fields from *root* (list indexes and mapping keys stay on their element's model)."""
    model = root
    for part in path[:-1]:
        if isinstance(part, str) and part in model.model_fields:
            classes = _classes_in(model.model_fields[part].annotation)
            if len(classes) != 1:
                return None  # a union of models: the heuristic below decides
            model = classes[0]
        # any other part is an index or a key of a mapping such as people: (its values
        # are the element's model, already chosen)
    return model


def _allowed_keys(models: list[type[BaseModel]], siblings: set[str]) -> list[str]:
    """The fields of the model that most likely describes a mapping with these keys."""
    best: list[str] = []
    best_score = -1
    for model in models:
        fields = set(model.model_fields)
        score = len(siblings & fields)
        if score > best_score:
            best, best_score = sorted(fields - {"key"}), score
    return best


def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> None:
        if model in found:
            return
        found.append(model)
        for field in model.model_fields.values():
            for candidate in _classes_in(field.annotation):
                visit(candidate)

    visit(root)
    return found


def _classes_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    result: list[type[BaseModel]] = []
    for arg in getattr(annotation, "__args__", ()) or ():
        result.extend(_classes_in(arg))
    metadata = getattr(annotation, "__metadata__", ())
    if metadata:
        result.extend(_classes_in(getattr(annotation, "__origin__", None)))
    return result


def _colon_in_text(value: Any, path: Path_) -> tuple[str, str] | None:
    """A paragraph with ": " in it, which YAML read as a mapping of one key (a sentence)."""
    if not isinstance(value, dict) or len(value) != 1:
        return None
    ((key, item),) = value.items()
    if not isinstance(key, str) or " " not in key.strip() or not isinstance(item, str | None):
        return None
    text = f"{key}: {item or ''}".strip()
    shown = text if len(text) <= 50 else text[:47] + "..."
    lead = "- " if not path or isinstance(path[-1], int) else f"{path[-1]}: "
    return (
        f'the colon after "{key if len(key) <= 40 else key[:37] + "..."}" made YAML read '
        "this text as a key and a value",
        f'put the whole text in double quotes: {lead}"{shown}"',
    )


def _message(
    error: ErrorDetails, data: Any, path: Path_, models: list[type[BaseModel]]
) -> tuple[str, str]:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind not in ("missing", "extra_forbidden") and (colon := _colon_in_text(value, path)):
        return colon
    if kind == "missing":
        return "is required but missing", "add it"
    if kind == "extra_forbidden":
        parent = data
        for part in path[:-1]:
            inner: Any = None
            if isinstance(parent, dict):
                inner = parent.get(part)
            elif isinstance(parent, list) and isinstance(part, int) and part < len(parent):
                inner = parent[part]
            if isinstance(inner, dict | list):
                parent = inner  # a part that names no mapping (a union's tag) is passed over
        siblings = set(parent) if isinstance(parent, dict) else set()
        holder = _model_at(models[0], path)
        allowed = (
            sorted(set(holder.model_fields) - {"key"})
            if holder is not None
            else _allowed_keys(models, siblings - {path[-1]})
        )
        hint = suggestion(str(path[-1]), allowed).strip(" ()")
        return "unknown key", hint or f"known keys here: {', '.join(allowed)}"
    if kind == "literal_error":
        expected = [x.strip(" '") for x in ctx.get("expected", "").replace(" or ", ", ").split(",")]
        hint = suggestion(str(value), expected).strip(" ()")
        return (
            f"{_describe(value)} is not one of: {', '.join(expected)}",
            hint or "use one of those words",
        )
    if kind.startswith("date") or kind.startswith("datetime"):
        reason = ctx.get("error", "")
        return (
            f"{_describe(value)} is not a valid date" + (f" ({reason})" if reason else ""),
            "write it as YYYY-MM-DD, e.g. 2026-11-30",
        )
    if kind in ("string_type", "str_type"):
        return f"expected text, got {_describe(value)}", "write it as text (quote it if needed)"
    if kind in ("list_type",):
        return (
            f"expected a list, got {_describe(value)}",
            "write one item per line starting with '- '",
        )
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of keys, got {_describe(value)}", "write key: value lines"
    if kind == "bool_type" or kind == "bool_parsing":
        return f"expected true or false, got {_describe(value)}", ""
    if kind == "too_short":
        return "must not be empty", "write at least one item"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"])), ""
    return error["msg"], ""


def problems_from(exc: ValidationError, located: Located, root: type[BaseModel]) -> list[Problem]:
    """Every error of *exc* as a Problem positioned in *located*'s file."""
    models = _models(root)
    problems: list[Problem] = []
    seen: set[tuple[Path_, str]] = set()
    for error in exc.errors():
        kind = error["type"]
        path = _data_path(
            located.data, error["loc"], keep_last=kind in ("missing", "extra_forbidden")
        )
        at = (error.get("ctx") or {}).get("at")
        if at:
            path = (*path, *at)
        message, hint = _message(error, located.data, path, models)
        if (path, message) in seen:
            continue
        seen.add((path, message))
        position_path = path[:-1] if kind == "missing" else path
        line, column = located.position(position_path)
        code = str((error.get("ctx") or {}).get("code", ""))
        problems.append(
            Problem(
                located.file,
                message,
                line=line,
                column=column,
                key=key_name(path),
                hint=hint,
                code=code,
            )
        )
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return problems
