"""The bearer-token lookup every API request makes, as one prepared query.

The ORM's `select_related(...).filter(...).first()` spends about 2 ms building the same SQL on
every request; this builds it once per database and turns the row into the same three model
instances (token, membership, user) with the backend's own converters. It reads the database on
every call: a revoked token or a deactivated user is refused on the next request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections, models, router
from django.utils import timezone

Converter = Callable[[Any, Any, Any], Any]
Part = tuple[type[models.Model], list[str], list[tuple[Any, list[Converter]]]]


class PreparedLookup:
    """`SELECT token, membership, user WHERE active token hash = %s AND user active`, prepared."""

    def __init__(self, alias: str) -> None:
        from showclear.web.accounts.models import ApiToken, Membership

        connection = connections[alias]
        qn = connection.ops.quote_name
        user_model = get_user_model()
        self.alias = alias
        self.parts: list[Part] = []
        columns: list[str] = []
        for model in (ApiToken, Membership, user_model):
            table = model._meta.db_table
            fields = list(model._meta.concrete_fields)
            converters = []
            for field in fields:
                col = field.get_col(table)
                found = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
                converters.append((col, found))
            self.parts.append((model, [f.attname for f in fields], converters))
            columns += [f"{qn(table)}.{qn(f.column)}" for f in fields]
        token, member, user = (m._meta.db_table for m in (ApiToken, Membership, user_model))
        token_fk = ApiToken._meta.get_field("membership").column
        user_fk = Membership._meta.get_field("user").column
        # identifiers are the models' own, quoted by the backend; the values are parameters
        self.sql = (
            f"SELECT {', '.join(columns)} FROM {qn(token)} "  # noqa: S608
            f"INNER JOIN {qn(member)} ON {qn(token)}.{qn(token_fk)} = {qn(member)}.{qn('id')} "
            f"INNER JOIN {qn(user)} ON {qn(member)}.{qn(user_fk)} = {qn(user)}.{qn('id')} "
            f"WHERE {qn(token)}.{qn('token_hash')} = %s AND {qn(token)}.{qn('revoked_at')} IS NULL "
            f"AND {qn(user)}.{qn('is_active')} = %s"
        )

    def __call__(self, token_hash: str) -> Any:
        """The active token with this hash, its membership and user attached, or None."""
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [token_hash, True])
            row = cursor.fetchone()
        if row is None:
            return None
        instances = []
        start = 0
        for model, names, converters in self.parts:
            values = list(row[start : start + len(names)])
            start += len(names)
            for i, (col, found) in enumerate(converters):
                for convert in found:
                    values[i] = convert(values[i], col, connection)
            instances.append(model.from_db(self.alias, names, values))
        token, membership, user = instances
        membership.user = user
        token.membership = membership
        return token


_lock = threading.Lock()
_prepared: dict[str, PreparedLookup] = {}


def active_token(model: type[models.Model], token_hash: str) -> Any:
    """The active ApiToken with this hash (its membership and user loaded), or None."""
    alias = router.db_for_read(model)
    prepared = _prepared.get(alias)
    if prepared is None:
        with _lock:
            prepared = _prepared.setdefault(alias, PreparedLookup(alias))
    return prepared(token_hash)


def touch(model: type[models.Model], pk: int) -> None:
    """Record that the token `pk` was used now (one UPDATE, no query building)."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    qn = connection.ops.quote_name
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = f"UPDATE {qn(model._meta.db_table)} SET {qn('last_used_at')} = %s WHERE {qn('id')} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, pk])


def pin_of(model: type[models.Model], production: str, person: str) -> tuple[int, str, int] | None:
    """(membership id, PIN hash, wrong PINs so far) of a person in a production, or None."""
    connection = connections[router.db_for_read(model)]
    qn = connection.ops.quote_name
    sql = (
        f"SELECT {qn('id')}, {qn('pin_hash')}, {qn('pin_failures')} "  # noqa: S608
        f"FROM {qn(model._meta.db_table)} WHERE {qn('production')} = %s AND {qn('person')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [production, person])
        row = cursor.fetchone()
    return None if row is None else (int(row[0]), str(row[1]), int(row[2]))
