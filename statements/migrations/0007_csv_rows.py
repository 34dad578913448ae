"""Pre-rendered CSV cells, so the statements export runs at COPY speed (PostgreSQL).

The export (SPEC "CSV", ``csv_copy``) used to compute every cell per row at export
time: four correlated ``string_agg`` subqueries, the formula guard on fourteen columns
and PostgreSQL's CSV quoting: ~50k rows/s at 1M statements. Now triggers keep the cells
rendered, exactly as ``csv_export`` writes them (guarded, minimally quoted, comma-ended):

- ``statements_statement.csv_head``: ``id,said_on,date_precision,``
- ``actors_actor.csv_cells``: ``name,slug,kind,`` (the speaker's three columns)
- ``statements_statement.csv_body``: ``speaker_title,…,text,recipients,claims,events,tags,``
- ``statements_source.csv_cells``: ``title,url,published_on,``

and a CSV row is their concatenation plus the statement's URL. A speaker or source edit
rewrites one row of its own table, not its statements; a recipient's or tag's slug
change, and every link (recipient, stance, event, tag) change, re-renders the affected
statements' ``csv_body`` set-based (statement-level triggers with transition tables, so
a bulk COPY costs one UPDATE, not one per row).

The columns are PostgreSQL-only and unknown to Django's models: the ORM never loads
them, SQLite does not have them, and its export renders cells in Python.
"""

from django.db import migrations

# What Python's str.isspace calls blank (NFKC-stable, minus the triggers), then a trigger:
# csv_copy.GUARD_PATTERN at the time of writing (a test checks the two agree).
GUARD = (
    r"^[\u000b\u000c\u001c\u001d\u001e\u001f\u0020\u0085\u1680\u2028\u2029]*"
    r"[\u0009\u000a\u000d\u002b\u003d\u0040-]"
)

LINK_TABLES = {
    # table: the column naming the statement
    "statements_statement_recipients": "statement_id",
    "statements_statement_events": "statement_id",
    "statements_stance": "statement_id",
    "statements_taggedstatement": "content_object_id",
}

POSTGRES_FORWARD = [
    # One cell as csv.writer(QUOTE_MINIMAL) writes csv_export.cell(v), plus nothing else.
    # A single expression over v, so the planner inlines it.
    f"""
    CREATE FUNCTION csv_cell(v text, guarded boolean DEFAULT true) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN v IS NULL OR v = '' THEN '' ELSE
        CASE WHEN v ~ '[",\\r\\n]' THEN '"' ELSE '' END
        || CASE WHEN guarded AND v !~ '^[0-9A-Za-z]' AND normalize(v, NFKC) ~ '{GUARD}'
                THEN '''' ELSE '' END
        || replace(v, '"', '""')
        || CASE WHEN v ~ '[",\\r\\n]' THEN '"' ELSE '' END
    END;
    """,
    """
    CREATE FUNCTION statement_csv_head(id bigint, said_on date, date_precision text)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN id::text || ',' || to_char(said_on, 'YYYY-MM-DD') || ','
        || csv_cell(date_precision) || ',';
    """,
    """
    CREATE FUNCTION statement_csv_body(
        speaker_title text, mode text, medium text, text text,
        recipients text, claims text, events text, tags text
    ) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN csv_cell(speaker_title) || ',' || csv_cell(mode) || ',' || csv_cell(medium) || ','
        || csv_cell(text) || ',' || csv_cell(recipients) || ',' || csv_cell(claims) || ','
        || csv_cell(events, false) || ',' || csv_cell(tags) || ',';
    """,
    # The multi-valued cells, each sorted as Python sorts (COLLATE "C" = code points).
    """
    CREATE FUNCTION statement_csv_recipients(sid bigint) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (SELECT string_agg(a.slug, ';' ORDER BY a.slug COLLATE "C")
              FROM statements_statement_recipients r JOIN actors_actor a ON a.id = r.actor_id
             WHERE r.statement_id = sid);
    """,
    """
    CREATE FUNCTION statement_csv_claims(sid bigint) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (SELECT string_agg(st.stance || ':' || st.claim_id, ';'
                              ORDER BY st.claim_id, st.stance COLLATE "C")
              FROM statements_stance st WHERE st.statement_id = sid);
    """,
    """
    CREATE FUNCTION statement_csv_events(sid bigint) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (SELECT string_agg(e.event_id::text, ';' ORDER BY e.event_id)
              FROM statements_statement_events e WHERE e.statement_id = sid);
    """,
    """
    CREATE FUNCTION statement_csv_tags(sid bigint) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (SELECT string_agg(tg.slug, ';' ORDER BY tg.slug COLLATE "C")
              FROM statements_taggedstatement ts JOIN taggit_tag tg ON tg.id = ts.tag_id
             WHERE ts.content_object_id = sid);
    """,
    "ALTER TABLE statements_statement ADD COLUMN csv_head text, ADD COLUMN csv_body text;",
    "ALTER TABLE actors_actor ADD COLUMN csv_cells text;",
    "ALTER TABLE statements_source ADD COLUMN csv_cells text;",
    # Every write to a statement re-renders its cells (a few index lookups).
    """
    CREATE FUNCTION statement_csv_cells() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.csv_head := statement_csv_head(NEW.id, NEW.said_on, NEW.date_precision);
        NEW.csv_body := statement_csv_body(
            NEW.speaker_title, NEW.mode, NEW.medium, NEW.text,
            statement_csv_recipients(NEW.id), statement_csv_claims(NEW.id),
            statement_csv_events(NEW.id), statement_csv_tags(NEW.id));
        RETURN NEW;
    END;
    $$;
    """,
    """
    CREATE TRIGGER statement_csv_cells BEFORE INSERT OR UPDATE ON statements_statement
    FOR EACH ROW EXECUTE FUNCTION statement_csv_cells();
    """,
    """
    CREATE FUNCTION actor_csv_cells() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.csv_cells := csv_cell(NEW.name) || ',' || csv_cell(NEW.slug) || ','
            || csv_cell(NEW.kind) || ',';
        RETURN NEW;
    END;
    $$;
    """,
    """
    CREATE TRIGGER actor_csv_cells BEFORE INSERT OR UPDATE ON actors_actor
    FOR EACH ROW EXECUTE FUNCTION actor_csv_cells();
    """,
    """
    CREATE FUNCTION source_csv_cells() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.csv_cells := csv_cell(NEW.title) || ',' || csv_cell(NEW.url) || ','
            || to_char(NEW.published_on, 'YYYY-MM-DD') || ',';
        RETURN NEW;
    END;
    $$;
    """,
    """
    CREATE TRIGGER source_csv_cells BEFORE INSERT OR UPDATE ON statements_source
    FOR EACH ROW EXECUTE FUNCTION source_csv_cells();
    """,
    # Links changed: re-render the statements on either side of the change, set-based.
    # (Setting csv_body to NULL is enough: statement_csv_cells renders it again.)
    """
    CREATE FUNCTION statement_links_csv_cells() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        changed text := CASE TG_OP
            WHEN 'INSERT' THEN format('SELECT %1$I FROM new_rows', TG_ARGV[0])
            WHEN 'DELETE' THEN format('SELECT %1$I FROM old_rows', TG_ARGV[0])
            ELSE format('SELECT %1$I FROM new_rows UNION SELECT %1$I FROM old_rows', TG_ARGV[0])
        END;
    BEGIN
        EXECUTE 'UPDATE statements_statement SET csv_body = NULL WHERE id IN (' || changed || ')';
        RETURN NULL;
    END;
    $$;
    """,
    *[
        f"""
        CREATE TRIGGER {table}_csv_{op.lower()} AFTER {op} ON {table}
        REFERENCING {tables} FOR EACH STATEMENT
        EXECUTE FUNCTION statement_links_csv_cells('{column}');
        """
        for table, column in LINK_TABLES.items()
        for op, tables in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        )
    ],
    # A slug shown in other statements' cells changed: re-render those statements.
    """
    CREATE FUNCTION actor_slug_csv_cells() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE statements_statement SET csv_body = NULL WHERE id IN (
            SELECT statement_id FROM statements_statement_recipients WHERE actor_id = NEW.id);
        RETURN NULL;
    END;
    $$;
    """,
    """
    CREATE TRIGGER actor_slug_csv_cells AFTER UPDATE OF slug ON actors_actor
    FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug)
    EXECUTE FUNCTION actor_slug_csv_cells();
    """,
    """
    CREATE FUNCTION tag_slug_csv_cells() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE statements_statement SET csv_body = NULL WHERE id IN (
            SELECT content_object_id FROM statements_taggedstatement WHERE tag_id = NEW.id);
        RETURN NULL;
    END;
    $$;
    """,
    """
    CREATE TRIGGER tag_slug_csv_cells AFTER UPDATE OF slug ON taggit_tag
    FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug)
    EXECUTE FUNCTION tag_slug_csv_cells();
    """,
    # Render what exists (the BEFORE triggers do it), then require the cells.
    "UPDATE actors_actor SET csv_cells = NULL;",
    "UPDATE statements_source SET csv_cells = NULL;",
    "UPDATE statements_statement SET csv_body = NULL;",
    "ALTER TABLE actors_actor ALTER COLUMN csv_cells SET NOT NULL;",
    "ALTER TABLE statements_source ALTER COLUMN csv_cells SET NOT NULL;",
    "ALTER TABLE statements_statement ALTER COLUMN csv_head SET NOT NULL, "
    "ALTER COLUMN csv_body SET NOT NULL;",
]

POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS tag_slug_csv_cells ON taggit_tag;",
    "DROP FUNCTION IF EXISTS tag_slug_csv_cells();",
    "DROP TRIGGER IF EXISTS actor_slug_csv_cells ON actors_actor;",
    "DROP FUNCTION IF EXISTS actor_slug_csv_cells();",
    *[
        f"DROP TRIGGER IF EXISTS {table}_csv_{op} ON {table};"
        for table in LINK_TABLES
        for op in ("insert", "update", "delete")
    ],
    "DROP FUNCTION IF EXISTS statement_links_csv_cells();",
    "DROP TRIGGER IF EXISTS source_csv_cells ON statements_source;",
    "DROP FUNCTION IF EXISTS source_csv_cells();",
    "DROP TRIGGER IF EXISTS actor_csv_cells ON actors_actor;",
    "DROP FUNCTION IF EXISTS actor_csv_cells();",
    "DROP TRIGGER IF EXISTS statement_csv_cells ON statements_statement;",
    "DROP FUNCTION IF EXISTS statement_csv_cells();",
    "ALTER TABLE statements_source DROP COLUMN IF EXISTS csv_cells;",
    "ALTER TABLE actors_actor DROP COLUMN IF EXISTS csv_cells;",
    "ALTER TABLE statements_statement DROP COLUMN IF EXISTS csv_head, "
    "DROP COLUMN IF EXISTS csv_body;",
    "DROP FUNCTION IF EXISTS statement_csv_tags(bigint);",
    "DROP FUNCTION IF EXISTS statement_csv_events(bigint);",
    "DROP FUNCTION IF EXISTS statement_csv_claims(bigint);",
    "DROP FUNCTION IF EXISTS statement_csv_recipients(bigint);",
    "DROP FUNCTION IF EXISTS statement_csv_body(text, text, text, text, text, text, text, text);",
    "DROP FUNCTION IF EXISTS statement_csv_head(bigint, date, text);",
    "DROP FUNCTION IF EXISTS csv_cell(text, boolean);",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_FORWARD:
            schema_editor.execute(sql, None)  # None: the SQL's % signs are not placeholders


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_BACKWARD:
            schema_editor.execute(sql, None)


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0001_initial"),
        ("statements", "0006_covering_list_indexes"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
