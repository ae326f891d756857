"""Realistic data for scripts/schemathesis, applied to schema-valid cases only (invalid ones stay as generated).

- `from` and `route` must name an account or route of the running config; random names are rightly 400.
- An Idempotency-Key replays or refuses a different request by design (422); each valid case gets a fresh one.
"""
import uuid

import schemathesis

ACCOUNTS = ["kaleyra-in", "kaleyra-sg", "kaleyra-eu", "kaleyra-na", "klaros", "cloud-api"]
ROUTES = ["india", "southeast-asia", "europe", "north-america", "default"]


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return
    if isinstance(case.body, dict):
        for field, names in (("from", ACCOUNTS), ("route", ROUTES)):
            if isinstance(case.body.get(field), str):
                case.body[field] = names[len(case.body[field]) % len(names)]
    if isinstance(case.query, dict):
        for field, names in (("from", ACCOUNTS), ("route", ROUTES)):
            if isinstance(case.query.get(field), str):
                case.query[field] = names[len(case.query[field]) % len(names)]
    if case.headers and "Idempotency-Key" in case.headers:
        case.headers["Idempotency-Key"] = uuid.uuid4().hex


def _digits(number):
    return number[1:] if number.startswith("+") else number


@schemathesis.hook("before_call")
def recipients_once(ctx, case, **kwargs):
    """The document says each recipient appears once, which a pattern cannot state (`+1…` and `1…` are one)."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or not isinstance(case.body, dict):
        return
    to = case.body.get("to")
    numbers = to.split(",") if isinstance(to, str) else to if isinstance(to, list) else None
    if not numbers or not all(isinstance(n, str) for n in numbers):
        return
    seen, kept = set(), []
    for number in numbers:
        if _digits(number) not in seen:
            seen.add(_digits(number))
            kept.append(number)
    case.body["to"] = ",".join(kept) if isinstance(to, str) else kept
