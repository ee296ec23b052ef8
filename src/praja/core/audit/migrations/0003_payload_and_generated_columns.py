"""Store each event's hashed canonical bytes in `payload`; derive the other columns from it.

1. Add `payload` and fill it for every existing event from its columns, exactly as `record()`
   built the bytes it hashed (an event altered before this migration stays detectably altered:
   its payload then no longer matches its hash).
2. Replace the eight columns by generated columns the database computes from `payload`, and
   rebuild the indexes on them.

On PostgreSQL the append-only trigger is switched off only while the payloads are filled in.
"""

from django.db import migrations, models

import praja.core.audit.models

TRIGGER = "pgtrigger_append_only_00dfa"  # the append-only trigger on audit_auditevent (0002)


def fill_payloads(apps, schema_editor):
    from praja.core.audit.canonical import canonical_text, format_occurred_at

    AuditEvent = apps.get_model("audit", "AuditEvent")
    connection = schema_editor.connection
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {TRIGGER}")
    columns = (
        "pk",
        "seq",
        "occurred_at",
        "event_type",
        "actor_id",
        "actor_label",
        "object_type",
        "object_id",
        "ip_address",
        "data",
    )
    rows = AuditEvent.objects.using(connection.alias).order_by("pk").values_list(*columns)
    batch = []
    with connection.cursor() as cursor:
        for pk, seq, occurred_at, *rest in rows.iterator(chunk_size=2000):
            payload = canonical_text(seq, format_occurred_at(occurred_at), *rest)
            batch.append((payload, pk))
            if len(batch) >= 2000:
                cursor.executemany(f"UPDATE {table} SET payload = %s WHERE id = %s", batch)  # noqa: S608
                batch.clear()
        if batch:
            cursor.executemany(f"UPDATE {table} SET payload = %s WHERE id = %s", batch)  # noqa: S608
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {TRIGGER}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _generated(index, kind, output_field):
    return models.GeneratedField(
        db_persist=True,
        expression=praja.core.audit.models.PayloadItem(index, kind, output_field=output_field),
        output_field=output_field,
    )


GENERATED = [
    ("occurred_at", 1, "time", lambda: models.DateTimeField()),
    ("event_type", 2, "text", lambda: models.CharField(max_length=80)),
    ("actor_id", 3, "int", lambda: models.BigIntegerField(null=True)),
    ("actor_label", 4, "text", lambda: models.CharField(blank=True, max_length=200)),
    ("object_type", 5, "text", lambda: models.CharField(blank=True, max_length=80)),
    ("object_id", 6, "text", lambda: models.CharField(blank=True, max_length=64)),
    ("ip_address", 7, "text", lambda: models.CharField(blank=True, max_length=45)),
    ("data", 8, "json", lambda: models.TextField()),
]

INDEXES = [
    (["tenant", "object_type", "object_id"], "audit_audit_tenant__ac5f72_idx"),
    (["tenant", "event_type"], "audit_audit_tenant__a2d57e_idx"),
    (["tenant", "actor_id"], "audit_audit_tenant__d8cd3e_idx"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_checkpoints_append_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="payload",
            field=models.TextField(default=""),
            preserve_default=False,
        ),
        migrations.RunPython(fill_payloads, migrations.RunPython.noop, elidable=False),
        *[migrations.RemoveIndex(model_name="auditevent", name=name) for _fields, name in INDEXES],
        *[migrations.RemoveField(model_name="auditevent", name=name) for name, *_rest in GENERATED],
        *[
            migrations.AddField(model_name="auditevent", name=name, field=_generated(index, kind, output()))
            for name, index, kind, output in GENERATED
        ],
        *[
            migrations.AddIndex(model_name="auditevent", index=models.Index(fields=fields, name=name))
            for fields, name in INDEXES
        ],
    ]
