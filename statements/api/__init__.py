"""The read-only JSON API (``/api/v1/``): Django REST framework over the lists' FilterSets.

Which rows a caller may see comes from ``statements.visibility``, as for every page.

- ``filters``: the django-filter backend that runs the lists' strict FilterSets
  (``statements.filters``) and reports their errors in the API's shape;
- ``pagination``: the lists' signed keyset cursors behind ``next``/``previous``;
- ``serializers``: the fields, named as the CSV columns where those exist;
- ``views``: one read-only viewset per table, with ETag/Last-Modified from the data
  version; ``throttles``: the anonymous and token rate limits.
"""
