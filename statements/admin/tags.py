"""Tags in the admin: django-taggit's admin without its "Merge selected tags".

taggit's merge action and its ``merge-tags/`` page check no permission beyond being
staff (an editor could merge, and so remove, tags), and they move only rows of taggit's
own ``TaggedItem``, which this project does not use (statements, claims and events
have their own through tables), so they would drop tags without moving what carries
them. Tags are renamed on their change page; a reviewer deletes one.
"""

from __future__ import annotations

from django.contrib import admin
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag


class TagAdmin(TaggitTagAdmin):
    actions = []
    inlines = []  # taggit's generic TaggedItem rows; this project's tags live elsewhere

    def get_urls(self):
        return [url for url in super().get_urls() if url.name != "taggit_tag_merge_tags"]


admin.site.unregister(Tag)
admin.site.register(Tag, TagAdmin)
