"""Reads: which rows each page, export, feed and API endpoint shows, and their counts.

- ``lists``: a ``ListSpec`` per list (FilterSet over the visible rows, keyset order,
  row loader), ranked search, chunked iteration for exports, form suggestions;
- ``pages``: what the overview and each detail page read;
- ``statement_rows``: the lean loader behind every statement row and card;
- ``roles``: the role a speaker held when they spoke;
- ``timeline``: statements per week.

Every query starts from ``statements.visibility``; paging and the capped count are in
``statements.pagination``. Nothing here writes.
"""
