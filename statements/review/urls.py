"""Staff pages of the review flow, mounted at ``/admin/review/``."""

app_name = "review"

urlpatterns: list = []
