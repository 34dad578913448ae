"""Staff pages of the review flow, mounted at ``/admin/review/``."""

from django.urls import path

from statements.review import views

app_name = "review"

urlpatterns = [
    path("sources/new/", views.SourceNewView.as_view(), name="source_new"),
    path("sources/<int:pk>/", views.SourceReviewView.as_view(), name="source_review"),
    path("sources/<int:pk>/extract/", views.SourceExtractView.as_view(), name="source_extract"),
]
