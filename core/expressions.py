"""Query expressions Django lacks."""

from __future__ import annotations

from django.db.models import Expression, Value


class Switch(Expression):
    """SQL's simple CASE: `CASE subject WHEN key THEN result ... ELSE default END`.

    Django's `Case(When(subject=key, ...), ...)` writes the subject once per `When`; for an
    annotation as large as an assignment's status (a CASE with a subquery), that is the whole
    expression again for each key, compiled in Python and parsed by the database each time.
    Here the subject is written once. Keys are plain values compared for equality.
    """

    def __init__(self, subject, cases, default, output_field):
        super().__init__(output_field=output_field)
        self.subject = subject
        self.keys = [Value(key) for key, _result in cases]
        self.results = [self._expression(result) for _key, result in cases]
        self.default = self._expression(default)

    @staticmethod
    def _expression(value):
        return value if hasattr(value, "resolve_expression") else Value(value)

    def get_source_expressions(self):
        return [self.subject, *self.keys, *self.results, self.default]

    def set_source_expressions(self, expressions):
        count = len(self.keys)
        self.subject = expressions[0]
        self.keys = list(expressions[1 : 1 + count])
        self.results = list(expressions[1 + count : 1 + 2 * count])
        self.default = expressions[-1]

    def as_sql(self, compiler, connection):
        subject_sql, params = compiler.compile(self.subject)
        sql = [f"CASE {subject_sql}"]
        params = list(params)
        for key, result in zip(self.keys, self.results, strict=True):
            key_sql, key_params = compiler.compile(key)
            result_sql, result_params = compiler.compile(result)
            sql.append(f"WHEN {key_sql} THEN {result_sql}")
            params.extend([*key_params, *result_params])
        default_sql, default_params = compiler.compile(self.default)
        sql.append(f"ELSE {default_sql} END")
        params.extend(default_params)
        return " ".join(sql), params
