"""Public pages (docs/pages.md). Actor pages live here too (they show statements) but
keep the ``actors`` namespace; ``tracker/urls.py`` mounts them."""

from django.urls import path

from statements import feeds
from statements.csv import data
from statements.csv import views as exports
from statements.views import (
    about_feeds,
    actor,
    claim,
    event,
    lists,
    overview,
    source,
    statement,
    tag,
)

app_name = "statements"

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("statements/", lists.StatementListView.as_view(), name="statement_list"),
    path("statements/<int:pk>/", statement.StatementDetailView.as_view(), name="statement_detail"),
    path("statements.csv", exports.statement_csv, name="statement_csv"),
    path("statements.jsonl", exports.statement_jsonl, name="statement_jsonl"),
    path("stances.csv", exports.stance_csv, name="stance_csv"),
    path("stances.jsonl", exports.stance_jsonl, name="stance_jsonl"),
    path("claims/", lists.ClaimListView.as_view(), name="claim_list"),
    path("claims/<int:pk>/", claim.ClaimDetailView.as_view(), name="claim_detail"),
    path("claims.csv", exports.claim_csv, name="claim_csv"),
    path("claims.jsonl", exports.claim_jsonl, name="claim_jsonl"),
    path("events/", lists.EventListView.as_view(), name="event_list"),
    path("events/<int:pk>/", event.EventDetailView.as_view(), name="event_detail"),
    path("events.csv", exports.event_csv, name="event_csv"),
    path("events.jsonl", exports.event_jsonl, name="event_jsonl"),
    path("tags/", lists.TagListView.as_view(), name="tag_list"),
    path("tags/<slug:slug>/", tag.TagDetailView.as_view(), name="tag_detail"),
    path("sources/", lists.SourceListView.as_view(), name="source_list"),
    path("sources/<int:pk>/", source.SourceDetailView.as_view(), name="source_detail"),
    path("statements.atom", feeds.FilteredStatementFeed(), name="statement_feed"),
    path("feeds/", about_feeds.about_feeds, name="feeds"),
    path("tags.csv", exports.tag_csv, name="tag_csv"),
    path("tags.jsonl", exports.tag_jsonl, name="tag_jsonl"),
    path("sources.csv", exports.source_csv, name="source_csv"),
    path("sources.jsonl", exports.source_jsonl, name="source_jsonl"),
    path("data/", data.data_dictionary, name="data_dictionary"),
    path("data/everything.zip", data.everything_zip, name="everything_zip"),
    path("statements/feeds/speaker/<slug:slug>/", feeds.SpeakerFeed(), name="feed_speaker"),
    path("statements/feeds/tag/<slug:slug>/", feeds.TagFeed(), name="feed_tag"),
    path("statements/feeds/claim/<int:pk>/", feeds.ClaimFeed(), name="feed_claim"),
]

actor_urlpatterns = [
    path("actors/", lists.ActorListView.as_view(), name="actor_list"),
    path("actors/<slug:slug>/", actor.ActorDetailView.as_view(), name="actor_detail"),
    path("actors.csv", exports.actor_csv, name="actor_csv"),
    path("actors.jsonl", exports.actor_jsonl, name="actor_jsonl"),
]
