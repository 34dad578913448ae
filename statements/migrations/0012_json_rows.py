"""Pre-rendered JSON Lines pieces, so the statements JSON Lines export runs at COPY speed.

Built per row at export time (``json_build_object`` and four ``json_agg`` lookups or
hash-joined aggregates), a 1M-statement export ran at a fraction of the CSV's rate. Now
the triggers of migration 0007 render, next to each CSV piece, the same columns as JSON
members exactly as ``jsonl`` writes them (``json.dumps`` with ``", "`` and ``" : "``,
``ensure_ascii=False``), each followed by ``", "``:

- ``actors_actor.json_cells``: ``"speaker" : …, "speaker_slug" : …, "speaker_kind" : …, ``
- ``statements_statement.json_body``: ``"speaker_title" : …`` … ``"tags" : […], ``
- ``statements_source.json_cells``: ``"source_title" : …`` … ``"source_published_on" : …, ``

and a line is ``{"id" : …, "said_on" : …, "date_precision" : …, `` (computed in the
query from the row) then those pieces, then the url (and ``status``) and ``}``.

They are re-rendered whenever the CSV pieces are (the same trigger functions, replaced
here), including migration 0008's queue: a queued statement's body is rendered in the
export's query until it is drained.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    # The link arrays, ordered as cells.statement_values orders them (as 0007's cells).
    """
    CREATE FUNCTION statement_json_recipients(sid bigint) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (SELECT json_agg(a.slug ORDER BY a.slug COLLATE "C")
              FROM statements_statement_recipients r JOIN actors_actor a ON a.id = r.actor_id
             WHERE r.statement_id = sid);
    """,
    """
    CREATE FUNCTION statement_json_claims(sid bigint) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (SELECT json_agg(json_build_object('claim', st.claim_id, 'stance', st.stance)
                            ORDER BY st.claim_id, st.stance COLLATE "C")
              FROM statements_stance st WHERE st.statement_id = sid);
    """,
    """
    CREATE FUNCTION statement_json_events(sid bigint) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (SELECT json_agg(e.event_id ORDER BY e.event_id)
              FROM statements_statement_events e WHERE e.statement_id = sid);
    """,
    """
    CREATE FUNCTION statement_json_tags(sid bigint) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (SELECT json_agg(tg.slug ORDER BY tg.slug COLLATE "C")
              FROM statements_taggedstatement ts JOIN taggit_tag tg ON tg.id = ts.tag_id
             WHERE ts.content_object_id = sid);
    """,
    """
    CREATE FUNCTION statement_json_body(
        speaker_title text, mode text, medium text, text text,
        recipients json, claims json, events json, tags json
    ) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN '"speaker_title" : ' || coalesce(to_json(speaker_title)::text, 'null')
        || ', "mode" : ' || coalesce(to_json(mode)::text, 'null')
        || ', "medium" : ' || coalesce(to_json(medium)::text, 'null')
        || ', "text" : ' || coalesce(to_json(text)::text, 'null')
        || ', "recipients" : ' || coalesce(recipients::text, '[]')
        || ', "claims" : ' || coalesce(claims::text, '[]')
        || ', "events" : ' || coalesce(events::text, '[]')
        || ', "tags" : ' || coalesce(tags::text, '[]') || ', ';
    """,
    """
    CREATE FUNCTION statement_json_body_now(sid bigint) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (SELECT statement_json_body(
                s.speaker_title, s.mode, s.medium, s.text, statement_json_recipients(sid),
                statement_json_claims(sid), statement_json_events(sid), statement_json_tags(sid))
              FROM statements_statement s WHERE s.id = sid);
    """,
    "ALTER TABLE statements_statement ADD COLUMN json_body text;",
    "ALTER TABLE actors_actor ADD COLUMN json_cells text;",
    "ALTER TABLE statements_source ADD COLUMN json_cells text;",
    """
    CREATE OR REPLACE FUNCTION statement_csv_cells() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.csv_head := statement_csv_head(NEW.id, NEW.said_on, NEW.date_precision);
        NEW.csv_body := statement_csv_body(
            NEW.speaker_title, NEW.mode, NEW.medium, NEW.text,
            statement_csv_recipients(NEW.id), statement_csv_claims(NEW.id),
            statement_csv_events(NEW.id), statement_csv_tags(NEW.id));
        NEW.json_body := statement_json_body(
            NEW.speaker_title, NEW.mode, NEW.medium, NEW.text,
            statement_json_recipients(NEW.id), statement_json_claims(NEW.id),
            statement_json_events(NEW.id), statement_json_tags(NEW.id));
        RETURN NEW;
    END;
    $$;
    """,
    """
    CREATE OR REPLACE FUNCTION actor_csv_cells() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.csv_cells := csv_cell(NEW.name) || ',' || csv_cell(NEW.slug) || ','
            || csv_cell(NEW.kind) || ',';
        NEW.json_cells := '"speaker" : ' || coalesce(to_json(NEW.name)::text, 'null')
            || ', "speaker_slug" : ' || coalesce(to_json(NEW.slug)::text, 'null')
            || ', "speaker_kind" : ' || coalesce(to_json(NEW.kind)::text, 'null') || ', ';
        RETURN NEW;
    END;
    $$;
    """,
    """
    CREATE OR REPLACE FUNCTION source_csv_cells() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.csv_cells := csv_cell(NEW.title) || ',' || csv_cell(NEW.url) || ','
            || to_char(NEW.published_on, 'YYYY-MM-DD') || ',';
        NEW.json_cells := '"source_title" : ' || coalesce(to_json(NEW.title)::text, 'null')
            || ', "source_url" : ' || coalesce(to_json(NEW.url)::text, 'null')
            || ', "source_published_on" : '
            || coalesce(to_json(NEW.published_on)::text, 'null') || ', ';
        RETURN NEW;
    END;
    $$;
    """,
    # Render what exists: actors and sources by their triggers; statements set-based with
    # the links aggregated once (their row trigger would look every link up per row, and
    # re-render what is already right), then require the pieces.
    "UPDATE actors_actor SET json_cells = NULL;",
    "UPDATE statements_source SET json_cells = NULL;",
    "ALTER TABLE statements_statement DISABLE TRIGGER USER;",
    """
    UPDATE statements_statement s SET json_body = statement_json_body(
        s.speaker_title, s.mode, s.medium, s.text, r.v, c.v, e.v, t.v)
      FROM statements_statement x
      LEFT JOIN (SELECT l.statement_id AS id, json_agg(a.slug ORDER BY a.slug COLLATE "C") AS v
                   FROM statements_statement_recipients l JOIN actors_actor a ON a.id = l.actor_id
                  GROUP BY 1) r ON r.id = x.id
      LEFT JOIN (SELECT l.statement_id AS id,
                        json_agg(json_build_object('claim', l.claim_id, 'stance', l.stance)
                                 ORDER BY l.claim_id, l.stance COLLATE "C") AS v
                   FROM statements_stance l GROUP BY 1) c ON c.id = x.id
      LEFT JOIN (SELECT l.statement_id AS id, json_agg(l.event_id ORDER BY l.event_id) AS v
                   FROM statements_statement_events l GROUP BY 1) e ON e.id = x.id
      LEFT JOIN (SELECT l.content_object_id AS id,
                        json_agg(g.slug ORDER BY g.slug COLLATE "C") AS v
                   FROM statements_taggedstatement l JOIN taggit_tag g ON g.id = l.tag_id
                  GROUP BY 1) t ON t.id = x.id
     WHERE x.id = s.id;
    """,
    "ALTER TABLE statements_statement ENABLE TRIGGER USER;",
    "ALTER TABLE actors_actor ALTER COLUMN json_cells SET NOT NULL;",
    "ALTER TABLE statements_source ALTER COLUMN json_cells SET NOT NULL;",
    "ALTER TABLE statements_statement ALTER COLUMN json_body SET NOT NULL;",
]

POSTGRES_BACKWARD = [
    # 0007's trigger functions.
    """
    CREATE OR REPLACE FUNCTION statement_csv_cells() RETURNS trigger LANGUAGE plpgsql AS $$
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
    CREATE OR REPLACE FUNCTION actor_csv_cells() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.csv_cells := csv_cell(NEW.name) || ',' || csv_cell(NEW.slug) || ','
            || csv_cell(NEW.kind) || ',';
        RETURN NEW;
    END;
    $$;
    """,
    """
    CREATE OR REPLACE FUNCTION source_csv_cells() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.csv_cells := csv_cell(NEW.title) || ',' || csv_cell(NEW.url) || ','
            || to_char(NEW.published_on, 'YYYY-MM-DD') || ',';
        RETURN NEW;
    END;
    $$;
    """,
    "ALTER TABLE statements_source DROP COLUMN IF EXISTS json_cells;",
    "ALTER TABLE actors_actor DROP COLUMN IF EXISTS json_cells;",
    "ALTER TABLE statements_statement DROP COLUMN IF EXISTS json_body;",
    "DROP FUNCTION IF EXISTS statement_json_body_now(bigint);",
    "DROP FUNCTION IF EXISTS statement_json_body(text, text, text, text, json, json, json, json);",
    "DROP FUNCTION IF EXISTS statement_json_tags(bigint);",
    "DROP FUNCTION IF EXISTS statement_json_events(bigint);",
    "DROP FUNCTION IF EXISTS statement_json_claims(bigint);",
    "DROP FUNCTION IF EXISTS statement_json_recipients(bigint);",
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
    dependencies = [("statements", "0011_versions")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
