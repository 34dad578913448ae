"""Public pages of SPEC.md. Actor pages live here too (they show statements) but
keep the ``actors`` namespace; ``tracker/urls.py`` mounts them."""

from django.urls import path

from statements import feeds
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
    path("claims/", lists.ClaimListView.as_view(), name="claim_list"),
    path("claims/<int:pk>/", claim.ClaimDetailView.as_view(), name="claim_detail"),
    path("claims.csv", exports.claim_csv, name="claim_csv"),
    path("events/", lists.EventListView.as_view(), name="event_list"),
    path("events/<int:pk>/", event.EventDetailView.as_view(), name="event_detail"),
    path("events.csv", exports.event_csv, name="event_csv"),
    path("tags/", lists.TagListView.as_view(), name="tag_list"),
    path("tags/<slug:slug>/", tag.TagDetailView.as_view(), name="tag_detail"),
    path("sources/", lists.SourceListView.as_view(), name="source_list"),
    path("sources/<int:pk>/", source.SourceDetailView.as_view(), name="source_detail"),
    path("statements.atom", feeds.FilteredStatementFeed(), name="statement_feed"),
    path("feeds/", about_feeds.about_feeds, name="feeds"),
    path("statements/feeds/speaker/<slug:slug>/", feeds.SpeakerFeed(), name="feed_speaker"),
    path("statements/feeds/tag/<slug:slug>/", feeds.TagFeed(), name="feed_tag"),
    path("statements/feeds/claim/<int:pk>/", feeds.ClaimFeed(), name="feed_claim"),
]

actor_urlpatterns = [
    path("actors/", lists.ActorListView.as_view(), name="actor_list"),
    path("actors/<slug:slug>/", actor.ActorDetailView.as_view(), name="actor_detail"),
    path("actors.csv", exports.actor_csv, name="actor_csv"),
]
