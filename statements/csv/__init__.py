"""The exports, in one place: CSV and JSON Lines of every list, the data dictionary and
the bulk download.

- ``tables``: each exported table's rows (a list's ``ListSpec``), columns and values;
- ``cells``: the columns, a row's values, the CSV cells and formula guard, the writer;
- ``copy``: the statements CSV and JSON Lines and the stances CSV through PostgreSQL's
  COPY (same bytes);
- ``jsonl``: the same values as JSON, one object per line;
- ``dictionary``: every table and column documented, from the models and ``tables``;
- ``bundle``: ``/data/everything.zip`` with its Frictionless ``datapackage.json``;
- ``views``, ``data``: the HTTP views; ``refresh``: the COPY path's re-render queue.

A statement's CSV row is rendered in four places, which must agree byte for byte:

1. ``cells`` — the Python cells (``STATEMENT_COLUMNS``, ``statement_values``, the formula
   guard ``neutralise``/``cell``): the ORM path, used on SQLite and for every other list.
2. ``copy`` — PostgreSQL's COPY path: the SQL that concatenates the stored, pre-rendered
   cells (``csv_head``, ``csv_body``, the speaker's and source's ``csv_cells``), and the
   same guard as one SQL expression (``GUARD_PATTERN``).
3. The triggers that keep those stored cells rendered: migration
   ``statements/migrations/0007_csv_rows.py`` (and ``0008_csv_stale_queue.py`` for slug
   renames, drained by ``refresh``).
4. The synthetic loader's renderer (``loadtest``), which writes the stored cells itself
   because its bulk path skips triggers.

When a statement column changes (added, removed, renamed, or its format):

- change ``STATEMENT_COLUMNS`` and ``statement_values`` in ``cells`` (JSON Lines follows);
- write a migration that replaces the trigger functions of 0007 (copy their SQL, change
  the column) and re-renders existing rows (``UPDATE … SET csv_body = …``);
- change the COPY query in ``copy`` if the column lives outside the stored pieces;
- change the loader's renderer;
- describe the column in ``dictionary`` (a test fails until you do) and regenerate
  ``docs/data-dictionary.md`` (``manage.py data_dictionary > docs/data-dictionary.md``);
- run ``tests/statements/test_copy_export.py`` (COPY bytes equal the ORM bytes after
  every kind of edit; the loader's cells equal the triggers') and ``test_csv.py`` on
  PostgreSQL and SQLite.

The statements JSON Lines follow the same path: migration ``0012_json_rows`` keeps the
same columns rendered as JSON members (``json_body``, the actor's and source's
``json_cells``) in the same trigger functions, ``copy.jsonl_sql`` joins them and
``jsonl.members`` renders them for the loader. A statement column change replaces those
functions too (copy 0012's), and ``test_copy_export.py``/``test_exports_more.py`` compare
the COPY bytes with Python's ``json`` bytes. The stances CSV is rendered in its COPY query
(``copy.stance_sql``, with 0007's ``csv_cell``).

An optional column (``?columns=``) only needs ``OPTIONAL_STATEMENT_VALUES`` in ``cells``
(and, when it reads more than the statement row, a per-chunk query in
``selectors.exports``) and its ``dictionary`` entry: the COPY path serves the default
columns only, so a request with ``columns=`` takes the ORM path.
"""
