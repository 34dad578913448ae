"""The read-only JSON API (``/api/v1/``): Django REST framework over the lists' FilterSets.

- ``scope``: which rows a caller may see, one function per model (the only place the
  API decides visibility);
- ``filters``: the django-filter backend that runs the HTML lists' strict FilterSets,
  and the FilterSets of the two tables without an HTML list (sources, stances);
- ``pagination``: the lists' signed keyset cursors behind ``next``/``previous``;
- ``serializers``: the fields, named as the CSV columns where those exist;
- ``views``: one read-only viewset per table, with ETag/Last-Modified from the data
  version; ``throttles``: the anonymous and token rate limits.
"""
