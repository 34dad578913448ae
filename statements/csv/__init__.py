"""The CSV exports, in one place.

A statement's CSV row is rendered in four places, which must agree byte for byte:

1. ``cells`` — the Python cells (``STATEMENT_COLUMNS``, ``statement_cells``, the formula
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

- change ``STATEMENT_COLUMNS`` and ``statement_cells`` in ``cells``;
- write a migration that replaces the trigger functions of 0007 (copy their SQL, change
  the column) and re-renders existing rows (``UPDATE … SET csv_body = …``);
- change the COPY query in ``copy`` if the column lives outside the stored pieces;
- change the loader's renderer;
- describe the column in the data dictionary and ``docs/csv.md``;
- run ``tests/statements/test_copy_export.py`` (COPY bytes equal the ORM bytes after
  every kind of edit; the loader's cells equal the triggers') and ``test_csv.py`` on
  PostgreSQL and SQLite.
"""
